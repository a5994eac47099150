// RDS DescribeDBInstances / DescribeDBClusters in the query protocol (form in, XML out), with the
// Filters.Filter.N / Marker / MaxRecords rules of API 2014-10-31 and RDS's own refusal wording.
import { randomUUID } from 'node:crypto'
import type { SimIam, SimPrincipal } from '../iam'
import type { SimInventory, SimRdsCluster, SimRdsInstance } from './inventory'
import { boundedInt, xmlEsc as esc, pageOf } from './paging'
import { ApiError } from './sigv4-verify'

const NS = 'http://rds.amazonaws.com/doc/2014-10-31/'

export interface RdsContext {
  region: string
  accountId: string
  iam: SimIam
  inventory: SimInventory
}

function envelope(action: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
}

/** Filters.Filter.N.Name / Filters.Filter.N.Values.Value.M → name → values. */
export function rdsFilters(form: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (let n = 1; form.has(`Filters.Filter.${n}.Name`); n++) {
    const name = form.get(`Filters.Filter.${n}.Name`) ?? ''
    const values: string[] = []
    for (let m = 1; form.has(`Filters.Filter.${n}.Values.Value.${m}`); m++)
      values.push(form.get(`Filters.Filter.${n}.Values.Value.${m}`) ?? '')
    out.set(name, values)
  }
  return out
}

function authorize(ctx: RdsContext, p: SimPrincipal, action: string, resource: string): void {
  if (!ctx.iam.isAllowed(p, action, resource))
    throw new ApiError(
      'AccessDenied',
      `User: ${p.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      403,
    )
}

const maxRecords = (form: URLSearchParams) =>
  boundedInt(
    form.get('MaxRecords'),
    'MaxRecords',
    20,
    100,
    'InvalidParameterValue',
    () => 'Invalid value for MaxRecords. Must be between 20 and 100',
  ) ?? 100

function instanceXml(ctx: RdsContext, d: SimRdsInstance): string {
  return [
    `<DBInstance><DBInstanceIdentifier>${esc(d.id)}</DBInstanceIdentifier>`,
    `<DBInstanceClass>db.t4g.medium</DBInstanceClass><Engine>${esc(d.engine)}</Engine>`,
    `<DBInstanceStatus>available</DBInstanceStatus><MasterUsername>${esc(d.masterUsername)}</MasterUsername>`,
    d.dbName ? `<DBName>${esc(d.dbName)}</DBName>` : '',
    `<Endpoint><Address>${esc(d.address)}</Address><Port>${d.port}</Port><HostedZoneId>Z2R2ITUGPM61AM</HostedZoneId></Endpoint>`,
    `<DBSubnetGroup><DBSubnetGroupName>${esc(d.vpcId)}-db</DBSubnetGroupName><VpcId>${esc(d.vpcId)}</VpcId><SubnetGroupStatus>Complete</SubnetGroupStatus></DBSubnetGroup>`,
    `<EngineVersion>${esc(d.engineVersion)}</EngineVersion><PubliclyAccessible>false</PubliclyAccessible>`,
    d.clusterId ? `<DBClusterIdentifier>${esc(d.clusterId)}</DBClusterIdentifier>` : '',
    `<DbiResourceId>${esc(d.resourceId)}</DbiResourceId><CACertificateIdentifier>rds-ca-rsa2048-g1</CACertificateIdentifier>`,
    `<IAMDatabaseAuthenticationEnabled>${d.iamAuth}</IAMDatabaseAuthenticationEnabled>`,
    `<DBInstanceArn>arn:aws:rds:${ctx.region}:${ctx.accountId}:db:${esc(d.id)}</DBInstanceArn></DBInstance>`,
  ].join('')
}

function clusterXml(ctx: RdsContext, c: SimRdsCluster): string {
  const members = c.members
    .map(
      (m, i) =>
        `<DBClusterMember><DBInstanceIdentifier>${esc(m)}</DBInstanceIdentifier><IsClusterWriter>${i === 0}</IsClusterWriter></DBClusterMember>`,
    )
    .join('')
  return [
    `<DBCluster><DBClusterIdentifier>${esc(c.id)}</DBClusterIdentifier><Status>available</Status>`,
    `<Engine>${esc(c.engine)}</Engine><EngineVersion>${esc(c.engineVersion)}</EngineVersion><EngineMode>provisioned</EngineMode>`,
    `<Endpoint>${esc(c.endpoint)}</Endpoint><ReaderEndpoint>${esc(c.readerEndpoint)}</ReaderEndpoint><Port>${c.port}</Port>`,
    `<MasterUsername>${esc(c.masterUsername)}</MasterUsername>`,
    c.dbName ? `<DatabaseName>${esc(c.dbName)}</DatabaseName>` : '',
    `<DBSubnetGroup>${esc(c.subnetGroup)}</DBSubnetGroup><DBClusterMembers>${members}</DBClusterMembers>`,
    `<IAMDatabaseAuthenticationEnabled>${c.iamAuth}</IAMDatabaseAuthenticationEnabled>`,
    `<DbClusterResourceId>${esc(c.resourceId)}</DbClusterResourceId>`,
    `<DBClusterArn>arn:aws:rds:${ctx.region}:${ctx.accountId}:cluster:${esc(c.id)}</DBClusterArn></DBCluster>`,
  ].join('')
}

function describeInstances(ctx: RdsContext, form: URLSearchParams, p: SimPrincipal): string {
  authorize(ctx, p, 'rds:DescribeDBInstances', `arn:aws:rds:${ctx.region}:${ctx.accountId}:db:*`)
  const filters = rdsFilters(form)
  const wanted = form.get('DBInstanceIdentifier')
  let list = ctx.inventory.rdsInstances
  if (wanted) list = list.filter((d) => d.id === wanted)
  for (const [name, values] of filters) {
    if (name === 'db-instance-id') list = list.filter((d) => values.includes(d.id))
    else if (name === 'db-cluster-id') list = list.filter((d) => d.clusterId && values.includes(d.clusterId))
    else if (name === 'engine') list = list.filter((d) => values.includes(d.engine))
    else if (name === 'dbi-resource-id') list = list.filter((d) => values.includes(d.resourceId))
    else throw new ApiError('InvalidParameterValue', `Unrecognized filter name: ${name}.`)
  }
  if (wanted && list.length === 0)
    throw new ApiError('DBInstanceNotFound', `DBInstance ${wanted} not found.`, 404)
  const size = Math.min(maxRecords(form), ctx.inventory.pageSize)
  const { page, next } = pageOf(
    list,
    size,
    form.get('Marker') ?? undefined,
    'rds:dbi',
    'InvalidParameterValue',
  )
  return envelope(
    'DescribeDBInstances',
    `${next ? `<Marker>${next}</Marker>` : ''}<DBInstances>${page.map((d) => instanceXml(ctx, d)).join('')}</DBInstances>`,
  )
}

function describeClusters(ctx: RdsContext, form: URLSearchParams, p: SimPrincipal): string {
  authorize(ctx, p, 'rds:DescribeDBClusters', `arn:aws:rds:${ctx.region}:${ctx.accountId}:cluster:*`)
  const wanted = form.get('DBClusterIdentifier')
  let list = ctx.inventory.rdsClusters
  if (wanted) list = list.filter((c) => c.id === wanted)
  for (const [name, values] of rdsFilters(form)) {
    if (name === 'db-cluster-id') list = list.filter((c) => values.includes(c.id))
    else if (name === 'engine') list = list.filter((c) => values.includes(c.engine))
    else throw new ApiError('InvalidParameterValue', `Unrecognized filter name: ${name}.`)
  }
  if (wanted && list.length === 0)
    throw new ApiError('DBClusterNotFoundFault', `DBCluster ${wanted} not found.`, 404)
  const size = Math.min(maxRecords(form), ctx.inventory.pageSize)
  const { page, next } = pageOf(
    list,
    size,
    form.get('Marker') ?? undefined,
    'rds:cluster',
    'InvalidParameterValue',
  )
  return envelope(
    'DescribeDBClusters',
    `${next ? `<Marker>${next}</Marker>` : ''}<DBClusters>${page.map((c) => clusterXml(ctx, c)).join('')}</DBClusters>`,
  )
}

/** Runs one RDS action; throws ApiError for every refusal. */
export function runRdsDescribe(ctx: RdsContext, form: URLSearchParams, principal: SimPrincipal): string {
  const action = form.get('Action')
  if (action === 'DescribeDBInstances') return describeInstances(ctx, form, principal)
  if (action === 'DescribeDBClusters') return describeClusters(ctx, form, principal)
  throw new ApiError('InvalidAction', `Could not find operation ${action} for version 2014-10-31`)
}
