// "Add from AWS": what a profile can see in some regions — RDS instances and Aurora clusters, SSM
// managed instances joined with EC2 for VPC, subnet and Name — and which instance can be the jump
// host of which database. Each API is called on its own: one refused call (AccessDenied) becomes a
// problem naming the missing permission, and the other calls' results are kept. Paging uses the
// SDK paginators; throttling is retried by the SDK's standard strategy with backoff.
import { EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2'
import { paginateDescribeDBClusters, paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds'
import { paginateDescribeInstanceInformation, SSMClient } from '@aws-sdk/client-ssm'
import type { ErrorInfo } from '../../shared/errors'
import type { Discovery, DiscoveryProblem } from '../../shared/ipc/aws-models'
import { mapServiceError } from './aws-errors'
import type { CredentialProvider } from './credentials'
import { joinDiscovery, type RawDb, type RawEc2, type RawSsm } from './discovery-join'
import type { AwsService } from './endpoints'

export interface DiscoveryOptions {
  profile?: string
  regions: string[]
  credentials: CredentialProvider
  endpointFor(service: AwsService): string | undefined
  /** SDK attempts per call (throttling and transient faults back off between them). */
  maxAttempts?: number
}

const errName = (err: unknown) =>
  err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : ''

/** A refused call as a problem that names the permission it needed. */
function problemOf(region: string, operation: string, permission: string, err: unknown, profile?: string) {
  const name = errName(err)
  let error: ErrorInfo
  if (/AccessDenied|UnauthorizedOperation/.test(name))
    error = {
      code: 'ACCESS_DENIED',
      message: `${operation} was denied in ${region}: the credentials lack ${permission}.`,
      hint: `Ask for an IAM policy allowing ${permission}; the other results are shown.`,
    }
  else error = mapServiceError(err, profile).info
  return { region, operation, permission, error } satisfies DiscoveryProblem
}

async function collect<P, T>(pages: AsyncIterable<P>, pick: (p: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = []
  for await (const page of pages) out.push(...(pick(page) ?? []))
  return out
}

/** Runs the four describe calls per region and joins them; never rejects for one API's refusal. */
export async function discoverResources(options: DiscoveryOptions): Promise<Discovery> {
  const problems: DiscoveryProblem[] = []
  const dbs: RawDb[] = []
  const ssm: RawSsm[] = []
  const ec2: RawEc2[] = []
  const credentials = () => options.credentials()
  const common = { credentials, maxAttempts: options.maxAttempts ?? 6 }

  await Promise.all(
    options.regions.map(async (region) => {
      const rds = new RDSClient({ ...common, region, endpoint: options.endpointFor('rds') })
      const ssmClient = new SSMClient({ ...common, region, endpoint: options.endpointFor('ssm') })
      const ec2Client = new EC2Client({ ...common, region, endpoint: options.endpointFor('ec2') })
      const guard = async (operation: string, permission: string, work: () => Promise<void>) => {
        try {
          await work()
        } catch (err) {
          problems.push(problemOf(region, operation, permission, err, options.profile))
        }
      }
      try {
        await Promise.all([
          guard('DescribeDBInstances', 'rds:DescribeDBInstances', async () => {
            const list = await collect(
              paginateDescribeDBInstances({ client: rds }, { MaxRecords: 100 }),
              (p) => p.DBInstances,
            )
            for (const d of list) dbs.push({ kind: 'instance', region, d })
          }),
          guard('DescribeDBClusters', 'rds:DescribeDBClusters', async () => {
            const list = await collect(
              paginateDescribeDBClusters({ client: rds }, { MaxRecords: 100 }),
              (p) => p.DBClusters,
            )
            for (const c of list) dbs.push({ kind: 'cluster', region, c })
          }),
          guard('DescribeInstanceInformation', 'ssm:DescribeInstanceInformation', async () => {
            const list = await collect(
              paginateDescribeInstanceInformation({ client: ssmClient }, { MaxResults: 50 }),
              (p) => p.InstanceInformationList,
            )
            for (const i of list) ssm.push({ region, i })
          }),
          guard('DescribeInstances', 'ec2:DescribeInstances', async () => {
            const list = await collect(
              paginateDescribeInstances({ client: ec2Client }, { MaxResults: 1000 }),
              (p) => p.Reservations?.flatMap((r) => r.Instances ?? []),
            )
            for (const i of list) ec2.push({ region, i })
          }),
        ])
      } finally {
        rds.destroy()
        ssmClient.destroy()
        ec2Client.destroy()
      }
    }),
  )
  const ec2Denied = problems.some((p) => p.operation === 'DescribeInstances')
  return {
    profile: options.profile ?? null,
    regions: options.regions,
    ...joinDiscovery(dbs, ssm, ec2, ec2Denied),
    problems,
  }
}
