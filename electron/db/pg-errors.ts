// PostgreSQL and socket errors → PortholeErrors. RDS reports every IAM failure (bad signature,
// expired token, missing grant) as 28000 "PAM authentication failed" (docs/rds-iam.md §B.1), so the hint
// lists all three causes.

import type { ErrorInfo } from '../../shared/errors'
import { PortholeError } from '../../shared/errors'

interface PgErrorLike {
  code?: string
  message?: string
  position?: string
  hint?: string
  detail?: string
  severity?: string
}

const TLS_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
])
const TUNNEL_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])

/** Context used in messages. */
export interface ErrorContext {
  rdsHost: string
  dbUser: string
  localPort?: number
}

/** Maps a connection-time failure (TLS, auth, socket) to a PortholeError. */
export function mapConnectError(err: unknown, ctx: ErrorContext): PortholeError {
  if (err instanceof PortholeError) return err
  const e = (err ?? {}) as PgErrorLike
  const code = e.code ?? ''
  const message = e.message ?? String(err)
  if (code === '28000' || code === '28P01') {
    if (/pg_hba|no encryption|SSL off/i.test(message))
      return PortholeError.of('AUTH_FAILED', `The database refused the connection: ${message}`, {
        hint: 'IAM authentication needs TLS; check the server SSL settings.',
      })
    return PortholeError.of(
      'AUTH_FAILED',
      `The database refused the IAM token for user "${ctx.dbUser}" (${message}).`,
      {
        hint: `Check that the user has GRANT rds_iam, that your IAM policy allows rds-db:connect for dbuser ${ctx.dbUser}, and that the token is signed for ${ctx.rdsHost} in the right region.`,
      },
    )
  }
  if (TLS_CODES.has(code) || /certificate|self.signed|altnames|ssl|tls/i.test(message)) {
    return PortholeError.of('TLS_FAILED', `TLS verification of ${ctx.rdsHost} failed: ${message}`, {
      hint: 'Porthole verifies the RDS certificate against the Amazon RDS CA bundle (or the target CA file) and the endpoint name.',
    })
  }
  if (TUNNEL_CODES.has(code) || /Connection terminated|connection.*(closed|ended)/i.test(message)) {
    return PortholeError.of(
      'TUNNEL_CLOSED',
      `The connection through the tunnel${ctx.localPort ? ` (127.0.0.1:${ctx.localPort})` : ''} closed: ${message}`,
      { hint: 'Reconnect the target; the SSM session may have ended.' },
    )
  }
  if (code.length === 5) return mapSqlError(err, 0)
  return PortholeError.of('INTERNAL', `Database connection failed: ${message}`)
}

/**
 * Maps an error from a statement. `positionOffset` (characters) is added to the server's 1-based
 * position so it points into the whole script, not just the statement.
 */
export function mapSqlError(err: unknown, positionOffset: number, cancelledByUser = false): PortholeError {
  if (err instanceof PortholeError) return err
  const e = (err ?? {}) as PgErrorLike
  const message = e.message ?? String(err)
  if (e.code?.length !== 5) {
    return mapConnectError(err, { rdsHost: 'the database', dbUser: '' })
  }
  const sql: NonNullable<ErrorInfo['sql']> = { sqlstate: e.code }
  if (e.position) sql.position = Number(e.position) + positionOffset
  if (e.hint) sql.hint = e.hint
  if (e.detail) sql.detail = e.detail
  if (e.code === '57014') {
    if (cancelledByUser || /user request/i.test(message))
      return PortholeError.of('QUERY_CANCELLED', 'The query was cancelled.', { sql })
    return PortholeError.of('TIMEOUT', message, { sql, hint: 'Raise or clear the statement timeout.' })
  }
  // The server's hint travels once, in `sql.hint`.
  return PortholeError.of('SQL_ERROR', message, { sql })
}
