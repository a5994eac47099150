// The RDS IAM gate for MySQL/MariaDB: listens as an RDS MySQL endpoint whose users are identified
// WITH AWSAuthenticationPlugin. It greets with HandshakeV10 (the upstream's version and connection
// id), requires the SSLRequest and terminates TLS with a certificate for the RDS name, switches the
// client to mysql_clear_password, validates the IAM token as RDS does, then logs into the real
// upstream as the sim-created user and splices. Behaviour and error texts: docs/mysql.md.
import { randomBytes } from 'node:crypto'
import type net from 'node:net'
import { type Logger, silentLogger } from '../sim-logger'
import { clientHost, createGateKit, listenGate } from './gate-server'
import { MySqlSocketReader } from './mysql-socket-reader'
import {
  dialMySqlUpstream,
  loginMySqlUpstream,
  MySqlUpstreamError,
  type MySqlUpstreamSession,
} from './mysql-upstream-session'
import {
  Cap,
  type ClientHello,
  packet,
  parseClientHello,
  serializeAuthSwitch,
  serializeErr,
  serializeHandshakeV10,
} from './mysql-wire'
import type { IsAllowed } from './rds-gate'
import { type LookupPrincipal, type RdsPrincipal, validateRdsToken } from './rds-token-validator'

/** Options for {@link startMySqlGate}. */
export interface MySqlGateOptions<P extends RdsPrincipal = RdsPrincipal> {
  rdsHost: string
  rdsPort: number
  region: string
  accountId: string
  dbiResourceId: string
  tls: { certPem: string; keyPem: string }
  upstream: { host: string; port: number }
  /** True for users created WITH AWSAuthenticationPlugin (the simulator's list). */
  isIamUser(user: string): boolean
  /** The password of the sim-created upstream account the gate logs in as for `user`. */
  upstreamPassword(user: string): string
  lookupPrincipal: LookupPrincipal<P>
  isAllowed?: IsAllowed<P>
  now?: () => number
  logger?: Logger
  /** MySQL's connect_timeout: drop a client that has not authenticated by then. */
  authTimeoutMs?: number
}

/** A running MySQL gate on 127.0.0.1. */
export interface MySqlGate {
  port: number
  close(): Promise<void>
}

const CLEAR_PASSWORD = 'mysql_clear_password'
// What the gate passes on from the upstream's capabilities: the low 25 bits (through DEPRECATE_EOF),
// without compression (the splice cannot compress) and without TLS (the gate adds its own).
const PASS_THROUGH = 0x01ffffff & ~(Cap.COMPRESS | Cap.SSL)
const REQUIRED =
  Cap.LONG_PASSWORD |
  Cap.PROTOCOL_41 |
  Cap.SSL |
  Cap.SECURE_CONNECTION |
  Cap.PLUGIN_AUTH |
  Cap.PLUGIN_AUTH_LENENC_CLIENT_DATA

/** The exact refusal RDS gives for any IAM failure (spec mysql-iam.md §4). */
export function accessDenied(user: string, host: string, usingPassword: boolean): Buffer {
  return serializeErr(
    1045,
    '28000',
    `Access denied for user '${user}'@'${host}' (using password: ${usingPassword ? 'YES' : 'NO'})`,
  )
}

/** Starts a MySQL IAM gate on an ephemeral loopback port. */
export async function startMySqlGate<P extends RdsPrincipal>(
  options: MySqlGateOptions<P>,
): Promise<MySqlGate> {
  const log = options.logger ?? silentLogger
  const now = options.now ?? (() => Date.now())
  const kit = createGateKit(options.tls, log)
  const refuse = (socket: net.Socket, seq: number, payload: Buffer): void =>
    kit.refuse(socket, packet(seq, payload))

  async function handle(raw: net.Socket): Promise<void> {
    let upstream: MySqlUpstreamSession | undefined
    const timer = setTimeout(() => {
      log.debug('connect timeout; dropping the client')
      raw.destroy()
      upstream?.socket.destroy()
    }, options.authTimeoutMs ?? 10_000)
    timer.unref()
    try {
      try {
        upstream = await dialMySqlUpstream(options.upstream.host, options.upstream.port)
      } catch (err) {
        log.warn(`upstream unreachable: ${(err as Error).message}`)
        return refuse(
          raw,
          0,
          serializeErr(1105, 'HY000', `RDS simulator: upstream unreachable: ${(err as Error).message}`),
        )
      }
      kit.track(upstream.socket)
      const spliced = await handshake(raw, upstream)
      if (!spliced) upstream.socket.destroy()
    } catch (err) {
      log.debug(`handshake ended: ${(err as Error).message}`)
      raw.destroy()
      upstream?.socket.destroy()
    } finally {
      clearTimeout(timer)
    }
  }

  /** Runs the connection phase; true once the client is spliced to the upstream. */
  async function handshake(raw: net.Socket, upstream: MySqlUpstreamSession): Promise<boolean> {
    const g = upstream.greeting
    raw.write(
      packet(
        0,
        serializeHandshakeV10({
          version: g.version,
          threadId: g.threadId,
          scramble: Buffer.from(randomBytes(20).map((b) => 1 + (b % 127))),
          capabilities: (g.capabilities & PASS_THROUGH) | REQUIRED,
          charset: g.charset,
          status: g.status,
          authPlugin: 'mysql_native_password',
        }),
      ),
    )
    let socket: net.Socket = raw
    let reader = new MySqlSocketReader(raw)
    let p = await reader.next()
    let hello = parseClientHello(p.payload)
    if (hello.sslRequest) {
      // MySQL has no reply to the SSLRequest, so the TLS ClientHello may already sit behind it.
      const early = reader.detach()
      if (early.length) raw.unshift(early)
      socket = await kit.upgrade(raw)
      reader = new MySqlSocketReader(socket)
      p = await reader.next()
      hello = parseClientHello(p.payload)
      if (hello.sslRequest) {
        reader.detach()
        refuse(socket, p.seq + 1, serializeErr(1043, '08S01', 'Bad handshake'))
        return false
      }
    }
    return authenticate(socket, reader, p.seq, hello, clientHost(raw), upstream, socket !== raw)
  }

  async function authenticate(
    socket: net.Socket,
    reader: MySqlSocketReader,
    helloSeq: number,
    hello: ClientHello,
    host: string,
    upstream: MySqlUpstreamSession,
    encrypted: boolean,
  ): Promise<boolean> {
    const user = hello.user
    let seq = helloSeq + 1
    if (!options.isIamUser(user)) {
      log.debug(`"${user}" is not an AWSAuthenticationPlugin user`)
      reader.detach()
      refuse(socket, seq, accessDenied(user, host, hello.authResponse.length > 0))
      return false
    }
    let token: Buffer
    if (hello.authPlugin === CLEAR_PASSWORD && hello.authResponse.length > 0) {
      token = hello.authResponse
    } else {
      if (!(hello.capabilities & Cap.PLUGIN_AUTH)) {
        reader.detach()
        refuse(
          socket,
          seq,
          serializeErr(
            1251,
            '08004',
            'Client does not support authentication protocol requested by server; consider upgrading MySQL client',
          ),
        )
        return false
      }
      socket.write(packet(seq, serializeAuthSwitch(CLEAR_PASSWORD)))
      const answer = await reader.next()
      seq = answer.seq + 1
      token = answer.payload
    }
    const end = token.indexOf(0)
    const text = token.toString('utf8', 0, end < 0 ? token.length : end)
    // IAM users REQUIRE SSL (as AWS recommends). Like MySQL for such an account, the login is denied
    // after the password step; a client that sent the token without TLS has already exposed it.
    const reason = encrypted ? await checkToken(text, user) : 'no TLS (the account requires SSL)'
    if (reason) {
      log.debug(`IAM authentication failed for user "${user}": ${reason}`)
      reader.detach()
      refuse(socket, seq, accessDenied(user, host, text.length > 0))
      return false
    }
    log.debug(`IAM authentication succeeded for user "${user}"`)
    let ok: Buffer
    try {
      ok = await loginMySqlUpstream(upstream, {
        user,
        password: options.upstreamPassword(user),
        database: hello.database || null,
        clientCapabilities: hello.capabilities,
        charset: hello.charset,
        maxPacket: hello.maxPacket,
      })
    } catch (err) {
      reader.detach()
      const e =
        err instanceof MySqlUpstreamError
          ? err
          : new MySqlUpstreamError(2013, 'HY000', (err as Error).message)
      log.debug(`upstream login failed: ${e.code} ${e.message}`)
      refuse(socket, seq, serializeErr(e.code, e.sqlState, e.message))
      return false
    }
    if (socket.destroyed) return false
    socket.write(packet(seq, ok))
    kit.splice(socket, upstream.socket, reader.detach(), upstream.reader.detach())
    return true
  }

  /** The validation failure ('' when the token is good): signature, binding, expiry, policy. */
  async function checkToken(token: string, user: string): Promise<string> {
    const verdict = await validateRdsToken({
      token,
      rdsHost: options.rdsHost,
      rdsPort: options.rdsPort,
      region: options.region,
      dbUser: user,
      lookupPrincipal: options.lookupPrincipal,
      now: now(),
    })
    if (!verdict.ok) return verdict.reason
    if (options.isAllowed) {
      const resource = `arn:aws:rds-db:${options.region}:${options.accountId}:dbuser:${options.dbiResourceId}/${user}`
      if (!(await options.isAllowed(verdict.principal, 'rds-db:connect', resource)))
        return `${verdict.principal.arn} is not allowed rds-db:connect on ${resource}`
    }
    return ''
  }

  const gate = await listenGate(kit, 'MySQL gate', log, handle)
  log.debug(`RDS MySQL IAM gate for ${options.rdsHost}:${options.rdsPort} on 127.0.0.1:${gate.port}`)
  return gate
}
