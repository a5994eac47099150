// STS GetCallerIdentity in the AWS query protocol (form-encoded request, XML response), and the
// database record the simulator keeps per gate. RDS describe calls live in rds-describe.ts.
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
