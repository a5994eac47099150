// STS GetCallerIdentity and RDS DescribeDBInstances in the AWS query protocol (form-encoded
// request, XML response), enough for discovery features to be built and tested against.
import { randomUUID } from 'node:crypto'
import type { SimPrincipal } from '../iam'
import { ApiError } from './sigv4-verify'

export interface SimDatabase {
  dbInstanceIdentifier: string
  rdsHost: string
  rdsPort: number
  dbiResourceId: string
  database: string
  engine: 'postgres' | 'mysql' | 'mariadb'
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Wraps a result in the query-protocol envelope, e.g. <XResponse><XResult>…</XResult>…. */
function envelope(action: string, ns: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
}

/** The XML error body query-protocol clients parse. */
export function queryErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
}

/** STS: only GetCallerIdentity. */
export function runStsOperation(form: URLSearchParams, principal: SimPrincipal, accountId: string): string {
  const action = form.get('Action')
  if (action !== 'GetCallerIdentity')
    throw new ApiError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`)
  const userId = `AIDA${principal.accessKeyId.slice(4, 20)}`
  return envelope(
    'GetCallerIdentity',
    'https://sts.amazonaws.com/doc/2011-06-15/',
    `<Arn>${esc(principal.arn)}</Arn><UserId>${userId}</UserId><Account>${accountId}</Account>`,
  )
}

/** RDS: only DescribeDBInstances (optionally filtered by DBInstanceIdentifier). */
export function runRdsOperation(form: URLSearchParams, databases: SimDatabase[]): string {
  const action = form.get('Action')
  if (action !== 'DescribeDBInstances')
    throw new ApiError('InvalidAction', `Could not find operation ${action} for version 2014-10-31`)
  const wanted = form.get('DBInstanceIdentifier')
  const list = wanted ? databases.filter((d) => d.dbInstanceIdentifier === wanted) : databases
  if (wanted && list.length === 0)
    throw new ApiError('DBInstanceNotFound', `DBInstance ${wanted} not found.`, 404)
  const items = list
    .map(
      (d) =>
        `<DBInstance><DBInstanceIdentifier>${esc(d.dbInstanceIdentifier)}</DBInstanceIdentifier><Engine>${d.engine}</Engine><DBInstanceStatus>available</DBInstanceStatus><DBName>${esc(d.database)}</DBName><Endpoint><Address>${esc(d.rdsHost)}</Address><Port>${d.rdsPort}</Port></Endpoint><IAMDatabaseAuthenticationEnabled>true</IAMDatabaseAuthenticationEnabled><DbiResourceId>${esc(d.dbiResourceId)}</DbiResourceId><PubliclyAccessible>false</PubliclyAccessible></DBInstance>`,
    )
    .join('')
  return envelope(
    'DescribeDBInstances',
    'http://rds.amazonaws.com/doc/2014-10-31/',
    `<DBInstances>${items}</DBInstances>`,
  )
}
