// Joins the raw describe results: SSM instances with EC2 by instance id (VPC, subnet, Name), Aurora
// clusters with a member's VPC, and each database with the jump instances in its VPC whose agent
// can forward to a remote host (≥ 3.1.1374.0). Pure, so it is tested without AWS.
import type { Instance } from '@aws-sdk/client-ec2'
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds'
import type { InstanceInformation } from '@aws-sdk/client-ssm'
import type { DiscoveredDatabase, DiscoveredInstance } from '../../shared/ipc/aws-models'
import { isVersionGreater } from '../tunnel/agent-version'

/** The first agent with AWS-StartPortForwardingSessionToRemoteHost. */
export const REMOTE_FORWARD_MIN_AGENT = '3.1.1374.0'

export type RawDb =
  | { kind: 'instance'; region: string; d: DBInstance }
  | { kind: 'cluster'; region: string; c: DBCluster }
export type RawSsm = { region: string; i: InstanceInformation }
export type RawEc2 = { region: string; i: Instance }

/** Whether `version` is at least 3.1.1374.0. */
export function canForwardToRemoteHost(version: string | undefined): boolean {
  if (!version) return false
  return version === REMOTE_FORWARD_MIN_AGENT || isVersionGreater(version, REMOTE_FORWARD_MIN_AGENT)
}

/** postgres / mysql family, or null for engines Porthole cannot connect to. */
export function targetEngineOf(engine: string): 'postgres' | 'mysql' | null {
  if (/postgres/.test(engine)) return 'postgres'
  if (/mysql|mariadb/.test(engine)) return 'mysql'
  return null
}

function instancesOf(ssm: RawSsm[], ec2: RawEc2[]): DiscoveredInstance[] {
  const byId = new Map(ec2.map((e) => [`${e.region}/${e.i.InstanceId}`, e.i]))
  return ssm
    .map(({ region, i }) => {
      const e = byId.get(`${region}/${i.InstanceId}`)
      const online = i.PingStatus === 'Online'
      return {
        instanceId: i.InstanceId ?? '',
        region,
        name: e?.Tags?.find((t) => t.Key === 'Name')?.Value ?? null,
        vpcId: e?.VpcId ?? null,
        subnetId: e?.SubnetId ?? null,
        pingStatus: i.PingStatus ?? 'Unknown',
        agentVersion: i.AgentVersion ?? null,
        platform: i.PlatformName ?? i.PlatformType ?? null,
        canForward: online && canForwardToRemoteHost(i.AgentVersion),
      }
    })
    .sort((a, b) => Number(b.canForward) - Number(a.canForward) || a.instanceId.localeCompare(b.instanceId))
}

function warningsFor(
  db: Omit<DiscoveredDatabase, 'warnings' | 'jumpCandidates'>,
  inVpc: DiscoveredInstance[],
  candidates: string[],
  ec2Denied: boolean,
): string[] {
  const w: string[] = []
  if (!db.targetEngine) w.push(`Porthole connects to PostgreSQL and MySQL; ${db.engine} is listed only.`)
  if (!db.iamAuth)
    w.push(
      'IAM database authentication is off: Porthole signs in with IAM tokens, so turn it on (--enable-iam-database-authentication) before connecting.',
    )
  if (ec2Denied)
    w.push('VPCs of instances are unknown (ec2:DescribeInstances was denied): pick a jump instance yourself.')
  else if (!candidates.length) {
    const old = inVpc.filter(
      (i) => i.pingStatus === 'Online' && !canForwardToRemoteHost(i.agentVersion ?? undefined),
    )
    w.push(
      old.length
        ? `The online instances in ${db.vpcId} have SSM agents older than ${REMOTE_FORWARD_MIN_AGENT} (${old.map((i) => `${i.instanceId} ${i.agentVersion}`).join(', ')}): update the agent to forward to the database.`
        : `No online SSM-managed instance in ${db.vpcId ?? 'its VPC'} can be the jump host.`,
    )
  }
  return w
}

/** Databases with jump suggestions and warnings, and the instances, sorted for display. */
export function joinDiscovery(
  raw: RawDb[],
  ssm: RawSsm[],
  ec2: RawEc2[],
  ec2Denied: boolean,
): { databases: DiscoveredDatabase[]; instances: DiscoveredInstance[] } {
  const instances = instancesOf(ssm, ec2)
  const vpcOfDbInstance = new Map<string, string>()
  const clusters = new Set<string>()
  for (const r of raw) {
    if (r.kind === 'instance' && r.d.DBSubnetGroup?.VpcId)
      vpcOfDbInstance.set(`${r.region}/${r.d.DBInstanceIdentifier}`, r.d.DBSubnetGroup.VpcId)
    if (r.kind === 'cluster') clusters.add(`${r.region}/${r.c.DBClusterIdentifier}`)
  }
  const databases: DiscoveredDatabase[] = []
  for (const r of raw) {
    let base: Omit<DiscoveredDatabase, 'warnings' | 'jumpCandidates'>
    if (r.kind === 'instance') {
      const d = r.d
      // Aurora members are reached through their cluster's endpoint, listed as the cluster.
      if (d.DBClusterIdentifier && clusters.has(`${r.region}/${d.DBClusterIdentifier}`)) continue
      if (!d.Endpoint?.Address) continue
      base = {
        kind: 'instance',
        id: d.DBInstanceIdentifier ?? '',
        region: r.region,
        engine: d.Engine ?? '',
        targetEngine: targetEngineOf(d.Engine ?? ''),
        engineVersion: d.EngineVersion ?? null,
        host: d.Endpoint.Address,
        port: d.Endpoint.Port ?? 5432,
        vpcId: d.DBSubnetGroup?.VpcId ?? null,
        iamAuth: d.IAMDatabaseAuthenticationEnabled ?? false,
        dbName: d.DBName ?? null,
        masterUsername: d.MasterUsername ?? null,
      }
    } else {
      const c = r.c
      if (!c.Endpoint) continue
      const member = c.DBClusterMembers?.map((m) =>
        vpcOfDbInstance.get(`${r.region}/${m.DBInstanceIdentifier}`),
      ).find(Boolean)
      base = {
        kind: 'cluster',
        id: c.DBClusterIdentifier ?? '',
        region: r.region,
        engine: c.Engine ?? '',
        targetEngine: targetEngineOf(c.Engine ?? ''),
        engineVersion: c.EngineVersion ?? null,
        host: c.Endpoint,
        port: c.Port ?? 5432,
        vpcId: member ?? null,
        iamAuth: c.IAMDatabaseAuthenticationEnabled ?? false,
        dbName: c.DatabaseName ?? null,
        masterUsername: c.MasterUsername ?? null,
      }
    }
    const inVpc = instances.filter(
      (i) => i.region === base.region && base.vpcId !== null && i.vpcId === base.vpcId,
    )
    const pool = ec2Denied ? instances.filter((i) => i.region === base.region) : inVpc
    const jumpCandidates = pool
      .filter((i) => i.canForward)
      .sort((a, b) => Number(/linux/i.test(b.platform ?? '')) - Number(/linux/i.test(a.platform ?? '')))
      .map((i) => i.instanceId)
    databases.push({ ...base, jumpCandidates, warnings: warningsFor(base, inVpc, jumpCandidates, ec2Denied) })
  }
  databases.sort(
    (a, b) =>
      Number(b.iamAuth && b.jumpCandidates.length > 0) - Number(a.iamAuth && a.jumpCandidates.length > 0) ||
      a.id.localeCompare(b.id),
  )
  return { databases, instances }
}
