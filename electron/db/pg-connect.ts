// How Porthole dials PostgreSQL through a tunnel: TCP to 127.0.0.1:<local port>, TLS verified for
// the RDS endpoint name (pg keeps `ssl.servername` only when `host` is an IP literal, docs/rds-iam.md §C.2),
// and a fresh IAM token per physical connection through pg's `password` function.
import type { ConnectionOptions, TLSSocket } from 'node:tls'
import pg from 'pg'
import type { Target } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import { loadCa } from './ca-bundle'

export type DbTarget = Pick<Target, 'rdsHost' | 'rdsPort' | 'dbUser' | 'database' | 'caFile'>

export interface PgConnectOptions {
  signer: TokenSigner
  /** Called before each token: true once after an auth failure to force fresh credentials. */
  forceRefresh?: () => boolean
  /** Called with the issue time of every token minted (for TunnelStatus.tokenIssuedAt). */
  onToken?: (issuedAt: number) => void
  connectTimeoutMs?: number
  /**
   * The TLS options every connection uses (see tlsFor): one object shared by reference, because pg
   * reads it at connect time and the CA arrives asynchronously.
   */
  ssl: ConnectionOptions
}

/**
 * TLS options for a target, verified for the RDS name, and a promise that fills in the CA (read
 * asynchronously). Await `ready` before checking out a connection; it rejects TLS_FAILED.
 */
export function tlsFor(target: DbTarget): { ssl: ConnectionOptions; ready: Promise<void> } {
  const ssl: ConnectionOptions = { servername: target.rdsHost, rejectUnauthorized: true }
  const ready = loadCa(target).then((ca) => {
    ssl.ca = ca
  })
  ready.catch(() => undefined) // reported to whoever awaits it; never an unhandled rejection
  return { ssl, ready }
}

/** Builds the pg client config for one target and tunnel port. Never disables verification. */
export function pgConfig(target: DbTarget, localPort: number, options: PgConnectOptions): pg.ClientConfig {
  return {
    host: '127.0.0.1',
    port: localPort,
    user: target.dbUser,
    database: target.database,
    password: async () => {
      const { token, issuedAt } = await options.signer.signToken(target, {
        forceRefresh: options.forceRefresh?.() ?? false,
      })
      options.onToken?.(issuedAt)
      return token
    },
    ssl: options.ssl,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 15_000,
    application_name: 'porthole',
  }
}

export interface PoolOptions extends PgConnectOptions {
  max?: number
  idleTimeoutMillis?: number
}

/**
 * A pg client class that keeps the newest TLS session ticket in the shared `ssl` options: pg hands
 * those options to tls.connect (Object.assign onto `{ socket }`), so every later connection offers
 * `session` and the server may resume instead of a full handshake. A refused ticket costs nothing:
 * TLS falls back to a full handshake, still verified against `servername` and the CA.
 */
export function sessionReusingClient(ssl: ConnectionOptions): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super(config)
      // 'sslconnect' fires as pg swaps in the TLS socket, before its handshake ends.
      this.connection.once('sslconnect', () => {
        ;(this.connection.stream as TLSSocket).on('session', (session: Buffer) => {
          ssl.session = session
        })
      })
    }
  }
}

/** Creates a pool whose every new connection signs its own token. */
export function createPgPool(target: DbTarget, localPort: number, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    ...pgConfig(target, localPort, options),
    Client: sessionReusingClient(options.ssl),
    max: options.max ?? 5,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 60_000,
  })
  // An idle client whose socket dies (tunnel closed) emits on the pool; without a listener that
  // would crash the process.
  pool.on('error', () => {})
  // Same for a checked-out client: pg only guards idle ones. The failing query still rejects.
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
}
