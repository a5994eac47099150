// SSM DescribeInstanceInformation (JSON 1.1) with the Filters / MaxResults 5-50 / NextToken rules
// of the service, joined with the EC2 inventory for the platform name and IP address.
import type { SimIam, SimPrincipal } from '../iam'
import type { SimInventory } from './inventory'
import { boundedInt, pageOf } from './paging'
import { ApiError } from './sigv4-verify'
import type { SimInstance } from './ssm-operations'

export interface SsmDescribeContext {
  iam: SimIam
  inventory: SimInventory
  instances: Map<string, SimInstance>
}

const LATEST_AGENT = '3.3.987.0'
const FILTER_KEYS = ['InstanceIds', 'AgentVersion', 'PingStatus', 'PlatformTypes', 'ResourceType']

type Json = Record<string, unknown>

// Both filter shapes: Filters [{Key, Values}] and the older InstanceInformationFilterList [{key, valueSet}].
function filtersOf(body: Json): Array<{ key: string; values: string[] }> {
  const out: Array<{ key: string; values: string[] }> = []
  const add = (key: unknown, values: unknown) => {
    if (typeof key !== 'string' || !Array.isArray(values) || !values.every((v) => typeof v === 'string'))
      throw new ApiError('InvalidFilter', 'The specified filter is not valid.')
    if (!FILTER_KEYS.includes(key) && !key.startsWith('tag'))
      throw new ApiError('InvalidFilterKey', `The filter key ${key} is not valid.`)
    out.push({ key, values: values as string[] })
  }
  for (const [list, k, v] of [
    [body.Filters, 'Key', 'Values'],
    [body.InstanceInformationFilterList, 'key', 'valueSet'],
  ] as const) {
    if (list === undefined) continue
    if (!Array.isArray(list)) throw new ApiError('InvalidFilter', 'The specified filter is not valid.')
    for (const f of list as Json[]) add(f?.[k], f?.[v])
  }
  return out
}

/** Runs DescribeInstanceInformation for `principal`. */
export function describeInstanceInformation(
  ctx: SsmDescribeContext,
  body: Json,
  principal: SimPrincipal,
): Json {
  if (!ctx.iam.isAllowed(principal, 'ssm:DescribeInstanceInformation', '*'))
    throw new ApiError(
      'AccessDeniedException',
      `User: ${principal.arn} is not authorized to perform: ssm:DescribeInstanceInformation on resource: * because no identity-based policy allows the ssm:DescribeInstanceInformation action`,
    )
  const max =
    boundedInt(
      body.MaxResults as number | undefined,
      'maxResults',
      5,
      50,
      'ValidationException',
      (n, lo, hi) =>
        `1 validation error detected: Value '${String(body.MaxResults)}' at '${n}' failed to satisfy constraint: Member must have value between ${lo} and ${hi}`,
    ) ?? 50
  const ec2 = new Map(ctx.inventory.ec2.map((i) => [i.instanceId, i]))
  let rows = [...ctx.instances.values()].map((i) => {
    const meta = ec2.get(i.instanceId)
    return {
      InstanceId: i.instanceId,
      PingStatus: i.online ? 'Online' : 'ConnectionLost',
      LastPingDateTime: Math.floor(Date.now() / 1000),
      AgentVersion: i.agentVersion,
      IsLatestVersion: i.agentVersion === LATEST_AGENT,
      PlatformType: meta?.platform ?? 'Linux',
      PlatformName: meta?.platformName ?? 'Amazon Linux',
      PlatformVersion: meta?.platform === 'Windows' ? '10.0.20348' : '2023',
      ResourceType: 'EC2Instance',
      SourceId: i.instanceId,
      SourceType: 'AWS::EC2::Instance',
      IPAddress: meta?.privateIp,
      ComputerName: meta ? `ip-${meta.privateIp.replace(/\./g, '-')}.ec2.internal` : undefined,
    }
  })
  for (const { key, values } of filtersOf(body)) {
    if (key === 'InstanceIds') rows = rows.filter((r) => values.includes(r.InstanceId))
    else if (key === 'PingStatus') rows = rows.filter((r) => values.includes(r.PingStatus))
    else if (key === 'PlatformTypes') rows = rows.filter((r) => values.includes(r.PlatformType))
    else if (key === 'ResourceType') rows = rows.filter((r) => values.includes(r.ResourceType))
    else if (key === 'AgentVersion') rows = rows.filter((r) => values.includes(r.AgentVersion))
  }
  const token = typeof body.NextToken === 'string' ? body.NextToken : undefined
  const { page, next } = pageOf(
    rows,
    Math.min(max, ctx.inventory.pageSize),
    token,
    'ssm:dii',
    'InvalidNextToken',
  )
  return { InstanceInformationList: page, ...(next ? { NextToken: next } : {}) }
}
