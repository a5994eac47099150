// How Porthole dials MySQL/MariaDB through a tunnel: mysql2 gets `host` = the RDS endpoint (so TLS
// verifies that name, verifyIdentity on) and a `stream` that dials 127.0.0.1:<local port>. The IAM
// token goes out only as the answer to the server's switch to mysql_clear_password, minted fresh for
// each physical connection, and only once the socket is TLS (docs/mysql.md).
import net from 'node:net'
import type { TLSSocket } from 'node:tls'
import mysql from 'mysql2'
import type { TokenSigner } from '../aws/iam-token'
import type { DbTarget } from './pg-connect'

export interface MySqlConnectOptions {
  signer: TokenSigner
  /** Called before each token: true once after an auth failure to force fresh credentials. */
  forceRefresh?: () => boolean
  /** Called with the issue time of every token minted (for TunnelStatus.tokenIssuedAt). */
  onToken?: (issuedAt: number) => void
  connectTimeoutMs?: number
}

/** Thrown (and surfaced as TLS_FAILED) if the server ever asks for the token on a plain socket. */
export class TokenOverPlainSocketError extends Error {
  code = 'TOKEN_OVER_PLAIN_SOCKET'
}

const RAW_TYPES = /BLOB|STRING|BIT|GEOMETRY/

/**
 * Every value stays the server's text, so nothing loses precision. String-family values arrive as
 * Buffers: only the column's charset (in the field packets, not given here) tells text from binary,
 * and mysqlCells (mysql-columns.ts) decides.
 */
export const textTypeCast: mysql.TypeCast = (field, next) => {
  void next
  if (field.type === 'JSON') return field.string('utf8')
  if (RAW_TYPES.test(field.type)) return field.buffer()
  return field.string()
}

/** The mysql2 options for one target and tunnel port. Never disables verification. */
export function mysqlConfig(
  target: DbTarget,
  localPort: number,
  ca: string[],
  options: MySqlConnectOptions,
): mysql.ConnectionOptions {
  return {
    host: target.rdsHost,
    port: target.rdsPort,
    stream: () => net.connect(localPort, '127.0.0.1'),
    user: target.dbUser,
    database: target.database,
    ssl: { ca, rejectUnauthorized: true, verifyIdentity: true },
    authPlugins: {
      mysql_clear_password:
        ({ connection }: { connection: mysql.Connection }) =>
        async () => {
          const stream = (connection as unknown as { stream?: Partial<TLSSocket> }).stream
          if (stream?.encrypted !== true)
            throw new TokenOverPlainSocketError(
              'The server asked for the IAM token before TLS was established; refused.',
            )
          const { token, issuedAt } = await options.signer.signToken(target, {
            forceRefresh: options.forceRefresh?.() ?? false,
          })
          options.onToken?.(issuedAt)
          return Buffer.from(`${token}\0`, 'utf8')
        },
    },
    connectTimeout: options.connectTimeoutMs ?? 15_000,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: false,
    connectAttributes: { program_name: 'porthole' },
  }
}

export interface MySqlPoolOptions extends MySqlConnectOptions {
  max?: number
  idleTimeoutMillis?: number
}

/** A pool whose every new connection signs its own token (the same rules as the PostgreSQL pools). */
export function createMySqlPool(
  target: DbTarget,
  localPort: number,
  ca: string[],
  options: MySqlPoolOptions,
): mysql.Pool {
  const pool = mysql.createPool({
    ...mysqlConfig(target, localPort, ca, options),
    connectionLimit: options.max ?? 5,
    maxIdle: 0,
    idleTimeout: options.idleTimeoutMillis ?? 60_000,
    waitForConnections: true,
    queueLimit: 0,
  })
  // A pooled connection whose socket dies (tunnel closed) emits 'error'; without a listener that
  // would crash the process. The command running on it still fails with the error.
  pool.on('connection', (conn) => conn.on('error', () => {}))
  return pool
}
