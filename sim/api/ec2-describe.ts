// EC2 DescribeInstances in the EC2 query protocol (API 2016-11-15): InstanceId.N, Filter.N.Name /
// Filter.N.Value.M, MaxResults 5-1000 (not with InstanceId), NextToken; lower-camel XML with
// reservationSet/instancesSet items; errors in EC2's own <Response><Errors> envelope.
import { randomUUID } from 'node:crypto'
import type { SimIam, SimPrincipal } from '../iam'
import type { SimEc2Instance, SimInventory } from './inventory'
import { boundedInt, xmlEsc as esc, pageOf } from './paging'
import { ApiError } from './sigv4-verify'

export interface Ec2Context {
  accountId: string
  iam: SimIam
  inventory: SimInventory
}

/** EC2's error body (not the RDS/STS ErrorResponse shape). */
export function ec2ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`
}

function list(form: URLSearchParams, prefix: string): string[] {
  const out: string[] = []
  for (let n = 1; form.has(`${prefix}.${n}`); n++) out.push(form.get(`${prefix}.${n}`) ?? '')
  return out
}

function matches(i: SimEc2Instance, name: string, values: string[]): boolean {
  if (name === 'instance-id') return values.includes(i.instanceId)
  if (name === 'vpc-id') return values.includes(i.vpcId)
  if (name === 'subnet-id') return values.includes(i.subnetId)
  if (name === 'instance-state-name') return values.includes(i.state)
  if (name === 'tag:Name') return i.name !== undefined && values.includes(i.name)
  throw new ApiError('InvalidParameterValue', `The filter '${name}' is invalid`)
}

function instanceXml(i: SimEc2Instance): string {
  const code = i.state === 'running' ? 16 : 80
  return [
    `<item><instanceId>${esc(i.instanceId)}</instanceId><imageId>ami-0c0ffee00000000a1</imageId>`,
    `<instanceState><code>${code}</code><name>${i.state}</name></instanceState>`,
    `<instanceType>t3.micro</instanceType><privateIpAddress>${esc(i.privateIp)}</privateIpAddress>`,
    `<subnetId>${esc(i.subnetId)}</subnetId><vpcId>${esc(i.vpcId)}</vpcId>`,
    i.platform === 'Windows' ? '<platform>windows</platform>' : '',
    `<platformDetails>${i.platform === 'Windows' ? 'Windows' : 'Linux/UNIX'}</platformDetails>`,
    i.name ? `<tagSet><item><key>Name</key><value>${esc(i.name)}</value></item></tagSet>` : '<tagSet/>',
    '</item>',
  ].join('')
}

/** Runs DescribeInstances; throws ApiError for every refusal. */
export function runEc2Operation(ctx: Ec2Context, form: URLSearchParams, p: SimPrincipal): string {
  const action = form.get('Action')
  if (action !== 'DescribeInstances')
    throw new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`)
  if (!ctx.iam.isAllowed(p, 'ec2:DescribeInstances', '*'))
    throw new ApiError(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. User: ${p.arn} is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action`,
      403,
    )
  const ids = list(form, 'InstanceId')
  const max = boundedInt(
    form.get('MaxResults'),
    'MaxResults',
    5,
    1000,
    'InvalidParameterValue',
    (n, lo, hi) =>
      `Value ( ${form.get(n)} ) for parameter maxResults is invalid. Expecting a value between ${lo} and ${hi}.`,
  )
  if (max !== undefined && ids.length)
    throw new ApiError(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    )
  let found = ctx.inventory.ec2
  if (ids.length) {
    const missing = ids.filter((id) => !found.some((i) => i.instanceId === id))
    if (missing.length)
      throw new ApiError(
        'InvalidInstanceID.NotFound',
        `The instance IDs '${missing.join(', ')}' do not exist`,
      )
    found = found.filter((i) => ids.includes(i.instanceId))
  }
  for (let n = 1; form.has(`Filter.${n}.Name`); n++) {
    const name = form.get(`Filter.${n}.Name`) ?? ''
    const values = list(form, `Filter.${n}.Value`)
    found = found.filter((i) => matches(i, name, values))
  }
  const size = Math.min(max ?? 1000, ctx.inventory.pageSize)
  const { page, next } = pageOf(
    found,
    size,
    form.get('NextToken') ?? undefined,
    'ec2:di',
    'InvalidParameterValue',
  )
  // One reservation per instance, as instances launched separately have.
  const reservations = page
    .map(
      (i) =>
        `<item><reservationId>r-${i.instanceId.slice(2)}</reservationId><ownerId>${ctx.accountId}</ownerId><groupSet/><instancesSet>${instanceXml(i)}</instancesSet></item>`,
    )
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId><reservationSet>${reservations}</reservationSet>${next ? `<nextToken>${next}</nextToken>` : ''}</DescribeInstancesResponse>`
}
