// MySQL/MariaDB and socket errors → PortholeErrors. RDS answers every IAM failure (bad signature,
// expired token, missing grant, no TLS for a REQUIRE SSL account) with 1045 (28000) "Access denied
// … (using password: YES)", so the hint lists the causes.
import { PortholeError } from '../../shared/errors'
import { type ErrorContext, mapConnectError as mapPgConnectError } from './pg-errors'

interface MySqlErrorLike {
  code?: string
  errno?: number
  sqlState?: string
  sqlMessage?: string
  message?: string
  fatal?: boolean
}

// ER_QUERY_INTERRUPTED (KILL QUERY) on MySQL and MariaDB.
const INTERRUPTED = 1317
// MariaDB max_statement_time (1969) and MySQL max_execution_time (3024).
const TIMEOUTS = new Set([1969, 3024])

/** Maps a connection-time failure (TLS, auth, socket) to a PortholeError. */
export function mapMySqlConnectError(err: unknown, ctx: ErrorContext): PortholeError {
  if (err instanceof PortholeError) return err
  const e = (err ?? {}) as MySqlErrorLike
  const message = e.sqlMessage ?? e.message ?? String(err)
  if (e.errno === 1045)
    return PortholeError.of(
      'AUTH_FAILED',
      `The database refused the IAM token for user "${ctx.dbUser}" (${message}).`,
      {
        hint: `Check that the user was created WITH AWSAuthenticationPlugin AS 'RDS' (and REQUIRE SSL), that your IAM policy allows rds-db:connect for dbuser ${ctx.dbUser}, and that the token is signed for ${ctx.rdsHost} in the right region.`,
      },
    )
  if (e.code === 'TOKEN_OVER_PLAIN_SOCKET' || e.code === 'HANDSHAKE_NO_SSL_SUPPORT')
    return PortholeError.of(
      'TLS_FAILED',
      `TLS to ${ctx.rdsHost} is required for IAM authentication: ${message}`,
      {
        hint: 'IAM tokens travel as a cleartext password, so Porthole sends them only inside verified TLS.',
      },
    )
  if (e.code === 'PROTOCOL_CONNECTION_LOST' || e.code === 'PROTOCOL_SEQUENCE_TIMEOUT')
    return PortholeError.of(
      'TUNNEL_CLOSED',
      `The connection through the tunnel${ctx.localPort ? ` (127.0.0.1:${ctx.localPort})` : ''} closed: ${message}`,
      { hint: 'Reconnect the target; the SSM session may have ended.' },
    )
  if (typeof e.errno === 'number' && e.sqlState) return mapMySqlSqlError(err)
  // TLS and socket failures look the same as for PostgreSQL (Node's codes and messages).
  return mapPgConnectError({ code: e.code, message }, ctx)
}

/** Maps an error from a statement (KILL QUERY → QUERY_CANCELLED, statement time limits → TIMEOUT). */
export function mapMySqlSqlError(err: unknown, cancelledByUser = false): PortholeError {
  if (err instanceof PortholeError) return err
  const e = (err ?? {}) as MySqlErrorLike
  const message = e.sqlMessage ?? e.message ?? String(err)
  if (typeof e.errno !== 'number' || !e.sqlState || e.fatal)
    return mapMySqlConnectError(
      { ...e, errno: undefined, sqlState: undefined },
      { rdsHost: 'the database', dbUser: '' },
    )
  const sql = { sqlstate: e.sqlState, detail: `MySQL error ${e.errno}` }
  if (e.errno === INTERRUPTED || (cancelledByUser && TIMEOUTS.has(e.errno)))
    return PortholeError.of('QUERY_CANCELLED', 'The query was cancelled.', { sql })
  if (TIMEOUTS.has(e.errno))
    return PortholeError.of('TIMEOUT', message, { sql, hint: 'Raise or clear the statement timeout.' })
  return PortholeError.of('SQL_ERROR', message, { sql })
}
