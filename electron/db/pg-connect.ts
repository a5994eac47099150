// How Porthole dials PostgreSQL through a tunnel: TCP to 127.0.0.1:<local port>, TLS verified for
// the RDS endpoint name (pg keeps `ssl.servername` only when `host` is an IP literal, docs/rds-iam.md §C.2),
// and a fresh IAM token per physical connection through pg's `password` function.
import type { ConnectionOptions, TLSSocket } from 'node:tls'
import pg from 'pg'
import type { Target } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import { secureContextFor } from '../base/ca-context'
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
    // A parsed, shared context rather than `ca`: pg hands these options to every tls.connect.
    ssl.secureContext = secureContextFor(ca)
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
  /** Send the token behind the startup message (sessionReusingClient); shared per target. */
  pipelining?: AuthPipelining
  /** Told of every client the pool creates, synchronously inside pool.connect() (pool-registry warm). */
  onCreate?: (client: pg.Client & EarlyQueue) => void
}

/**
 * Whether new connections send the IAM token right behind the startup message. Shared by a target's
 * pools; turned off for good once the server asks for anything but a cleartext password.
 */
export interface AuthPipelining {
  enabled: boolean
}

/** A trust server answered AuthenticationOk to a pipelined startup: redial without pipelining. */
const NOT_ASKED = 'the server did not ask for the IAM token; reconnecting without sending it early'

/**
 * A batch given to a client before its startup finished (pg-batch.ts): written right behind the
 * early token, or handed to pg's queue once the client is ready; failed if the client never is.
 */
export interface EarlyBatch {
  written: boolean
  write(connection: unknown): void
  handleError(err: unknown): void
}

/** What a pool client of `sessionReusingClient` offers for statements sent during its startup. */
export interface EarlyQueue {
  /** True while connecting: a batch given now goes out behind the token or waits for ReadyForQuery. */
  acceptsEarly(): boolean
  queueEarly(batch: EarlyBatch): void
}

/**
 * A pg client class that (1) keeps the newest TLS session ticket in the shared `ssl` options: pg
 * hands those options to tls.connect (Object.assign onto `{ socket }`), so every later connection
 * offers `session` and the server may resume instead of a full handshake (a refused ticket only
 * means a full handshake, still verified against `servername` and the CA); (2) when `pipelining`
 * is on, writes the PasswordMessage right behind the StartupMessage instead of waiting a round trip
 * for RDS's AuthenticationCleartextPassword: RDS asks every rds_iam role for a cleartext password
 * (PAM, docs/rds-iam.md §B.1), and PostgreSQL reads the message once it asks. Anything else (MD5,
 * SCRAM, trust) turns pipelining off for the target and fails this connection; the pool registry
 * retries once, now the ordinary way, so the error a user sees is the server's usual one; and
 * (3) takes batches while it connects (EarlyQueue): behind an early token they go out in the same
 * flight, since PostgreSQL reads a session's messages in order once it has sent ReadyForQuery; a
 * refused login means the server never read them (docs/speed.md).
 */
export function sessionReusingClient(
  ssl: ConnectionOptions,
  pipelining?: AuthPipelining,
  onCreate?: (client: pg.Client & EarlyQueue) => void,
): typeof pg.Client {
  return class extends pg.Client implements EarlyQueue {
    private sentEarly = false
    private tokenWritten = false
    private early: EarlyBatch[] | null = []
    constructor(config?: pg.ClientConfig) {
      super(config)
      const con = this.connection
      // 'sslconnect' fires as pg swaps in the TLS socket, before its handshake ends; writes queue.
      con.once('sslconnect', () => {
        ;(con.stream as TLSSocket).on('session', (session: Buffer) => {
          ssl.session = session
        })
        if (!pipelining?.enabled) return
        this.sentEarly = true
        // After pg's own 'sslconnect' listener has written the StartupMessage.
        // Connection#password (PasswordMessage) is pg's, missing from its type declarations.
        const send = con as unknown as { password(p: string): void }
        process.nextTick(() =>
          internals(this)._getPassword(() => {
            // One write: the token and every batch already given, so they travel in one message.
            con.stream.cork()
            send.password(this.password as string)
            this.tokenWritten = true
            for (const b of this.early ?? []) if (!b.written) b.write(con)
            process.nextTick(() => con.stream.uncork())
          }),
        )
      })
      // Registered before pg's own listener (attached at connect): the early batches join pg's
      // queue first, so the answers that follow this ReadyForQuery reach the batch they belong to.
      con.once('readyForQuery', () => {
        const early = this.early ?? []
        this.early = null
        internals(this).queue.unshift(...early)
      })
      const notCleartext = () => {
        if (this.sentEarly && pipelining) pipelining.enabled = false
      }
      con.on('authenticationMD5Password', notCleartext)
      con.on('authenticationSASL', notCleartext)
      con.once('authenticationOk', () => {
        if (!this.sentEarly || this.askedCleartext) return
        notCleartext()
        con.emit('error', Object.assign(new Error(NOT_ASKED), { code: '28000' }))
        con.stream.destroy()
      })
      onCreate?.(this)
    }

    acceptsEarly(): boolean {
      return this.early !== null
    }

    queueEarly(batch: EarlyBatch): void {
      if (!this.early) throw new Error('queueEarly after the client connected')
      this.early.push(batch)
      if (this.tokenWritten) batch.write(this.connection)
    }

    // Both of pg's connect forms end here: a failed startup fails the batches given meanwhile.
    _connect(callback: (err: Error | null, client?: unknown) => void): void {
      internals(this)._connect.call(this, (err: Error | null, client?: unknown) => {
        const early = this.early
        if (err && early) {
          this.early = null
          for (const b of early) b.handleError(err)
        }
        callback(err, client)
      })
    }

    private askedCleartext = false
    _handleAuthCleartextPassword(msg: unknown): void {
      this.askedCleartext = true
      if (!this.sentEarly) internals(this)._handleAuthCleartextPassword.call(this, msg)
    }
  }
}

/** The pg.Client internals the subclass calls (not in its type declarations). */
interface ClientInternals {
  _getPassword(cb: () => void): void
  _handleAuthCleartextPassword(msg: unknown): void
  _connect(callback: (err: Error | null, client?: unknown) => void): void
  queue: unknown[]
}
const internals = (client: pg.Client): ClientInternals => {
  const proto = pg.Client.prototype as unknown as ClientInternals
  return {
    _getPassword: (cb) => proto._getPassword.call(client, cb),
    _handleAuthCleartextPassword: proto._handleAuthCleartextPassword,
    _connect: proto._connect,
    queue: (client as unknown as { _queryQueue: unknown[] })._queryQueue,
  }
}

/** Creates a pool whose every new connection signs its own token. */
export function createPgPool(target: DbTarget, localPort: number, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    ...pgConfig(target, localPort, options),
    Client: sessionReusingClient(options.ssl, options.pipelining, options.onCreate),
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
