// The RDS IAM gate: listens as an RDS PostgreSQL endpoint with IAM authentication. It answers
// SSLRequest and terminates TLS with a certificate for the RDS host name, refuses unencrypted
// startups, asks for a cleartext password (the IAM token), validates the token exactly as RDS does
// (rds-token-validator.ts) for roles granted rds_iam, checks the database password for every other
// role (role-directory.ts), and on success splices the client to an upstream PostgreSQL.
// Client-visible behaviour follows docs/rds-iam.md §A.2, §A.3 and §B.1.
import net from 'node:net'
import { type Logger, silentLogger } from '../sim-logger'
import { clientHost, createGateKit, listenGate } from './gate-server'
import { checkLogin, type IsAllowed, type LoginVerdict } from './login-check'
import {
  MAX_AUTH_MESSAGE_LENGTH,
  PROTOCOL_3_0,
  parsePasswordBody,
  type StartupPacket,
  serializeAuthCleartextPassword,
  serializeErrorResponse,
} from './pg-wire'
import { fatal, noEncryption } from './rds-errors'
import type { LookupPrincipal, RdsPrincipal } from './rds-token-validator'
import { type RoleDirectory, upstreamRoleDirectory } from './role-directory'
import { SocketReader } from './socket-reader'
import { openUpstreamSession, UpstreamRefusedError } from './upstream-handshake'

export type { IsAllowed } from './login-check'

/** Options for {@link startRdsGate}. */
export interface RdsGateOptions<P extends RdsPrincipal = RdsPrincipal> {
  /** The endpoint name the instance advertises; tokens must be signed for `<rdsHost>:<rdsPort>`. */
  rdsHost: string
  rdsPort: number
  region: string
  accountId: string
  /** The instance's DbiResourceId, used in the `rds-db:connect` resource ARN. */
  dbiResourceId: string
  tls: { certPem: string; keyPem: string }
  upstream: { host: string; port: number }
  /**
   * Which roles use IAM (members of rds_iam) and the others' password verifiers. Defaults to asking
   * the upstream as `postgres` on database `postgres` (the local trust-auth server or PGlite).
   */
  roles?: RoleDirectory
  lookupPrincipal: LookupPrincipal<P>
  /** When given, a principal also needs `rds-db:connect` on the dbuser ARN. */
  isAllowed?: IsAllowed<P>
  /** Clock for token freshness (ms since epoch); defaults to Date.now. */
  now?: () => number
  logger?: Logger
  /** Drop a client that has not finished authenticating by then (PostgreSQL's authentication_timeout). */
  authTimeoutMs?: number
}

/** A running gate on 127.0.0.1. */
export interface RdsGate {
  port: number
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>
}

/** Starts a gate listening on 127.0.0.1 on an ephemeral port. */
export async function startRdsGate<P extends RdsPrincipal>(options: RdsGateOptions<P>): Promise<RdsGate> {
  const log = options.logger ?? silentLogger
  const now = options.now ?? (() => Date.now()) // read Date at call time so a test's mocked clock applies
  const roles =
    options.roles ??
    upstreamRoleDirectory(`postgres://postgres@${options.upstream.host}:${options.upstream.port}/postgres`)
  const login = {
    rdsHost: options.rdsHost,
    rdsPort: options.rdsPort,
    region: options.region,
    accountId: options.accountId,
    dbiResourceId: options.dbiResourceId,
    lookupPrincipal: options.lookupPrincipal,
    isAllowed: options.isAllowed,
    roles,
    now,
  }
  const kit = createGateKit(options.tls, log)

  async function forwardCancel(packet: Extract<StartupPacket, { kind: 'cancel' }>): Promise<void> {
    // Protocol cancel goes to the backend that BackendKeyData named: the upstream's, forwarded as-is.
    const up = net.connect(options.upstream)
    up.on('error', (err) => log.debug(`cancel forward failed: ${err.message}`))
    up.once('connect', () => up.end(packet.raw))
    setTimeout(() => up.destroy(), 5000).unref()
  }

  async function handle(raw: net.Socket): Promise<void> {
    const timer = setTimeout(() => {
      log.debug('authentication timeout; dropping the client')
      raw.destroy()
    }, options.authTimeoutMs ?? 60_000)
    timer.unref()
    try {
      await handshake(raw)
    } catch (err) {
      log.debug(`handshake ended: ${(err as Error).message}`)
      raw.destroy()
    } finally {
      clearTimeout(timer)
    }
  }

  async function handshake(raw: net.Socket): Promise<void> {
    let socket: net.Socket = raw
    let reader = new SocketReader(raw)
    let encrypted = false
    for (;;) {
      let packet: StartupPacket
      try {
        packet = await reader.read((f) => f.nextStartupPacket())
      } catch (err) {
        // PostgreSQL logs bad startup packets and closes without a reply when nothing was negotiated.
        log.debug(`bad startup packet: ${(err as Error).message}`)
        reader.detach()
        return void socket.destroy()
      }
      if (packet.kind === 'cancel') {
        reader.detach()
        await forwardCancel(packet)
        return void socket.end()
      }
      if (packet.kind === 'gssenc-request') {
        socket.write('N')
        continue
      }
      if (packet.kind === 'ssl-request') {
        if (encrypted) return kit.refuse(socket, fatal('08P01', 'SSL negotiation after SSL was established'))
        if (reader.buffered > 0) {
          // Bytes sent before the TLS handshake would be trusted as encrypted (CVE-2021-23214).
          reader.detach()
          return kit.refuse(socket, fatal('08P01', 'received unencrypted data after SSL request'))
        }
        reader.detach()
        socket.write('S')
        socket = await kit.upgrade(raw)
        reader = new SocketReader(socket)
        encrypted = true
        continue
      }
      if (packet.version >> 16 !== PROTOCOL_3_0 >> 16) {
        const v = `${packet.version >> 16}.${packet.version & 0xffff}`
        reader.detach()
        return kit.refuse(
          socket,
          fatal('0A000', `unsupported frontend protocol ${v}: server supports 3.0 to 3.0`),
        )
      }
      const user = packet.params.get('user')
      if (!user) {
        reader.detach()
        return kit.refuse(socket, fatal('28000', 'no PostgreSQL user name specified in startup packet'))
      }
      const database = packet.params.get('database') || user
      if (!encrypted) {
        reader.detach()
        return kit.refuse(socket, noEncryption(clientHost(raw), user, database))
      }
      return authenticate(socket, reader, user, packet.params)
    }
  }

  async function authenticate(
    socket: net.Socket,
    reader: SocketReader,
    user: string,
    params: Map<string, string>,
  ): Promise<void> {
    socket.write(serializeAuthCleartextPassword())
    const msg = await reader.read((f) => f.nextMessage(MAX_AUTH_MESSAGE_LENGTH))
    if (msg.type !== 'p') {
      reader.detach()
      const code = msg.raw[0]
      return kit.refuse(
        socket,
        fatal('08P01', `expected password response, got message type ${code}`, 'recv_password_packet'),
      )
    }
    let token: string
    try {
      token = parsePasswordBody(msg.body)
    } catch {
      reader.detach()
      return kit.refuse(socket, fatal('08P01', 'invalid password packet size', 'recv_password_packet'))
    }
    let verdict: LoginVerdict
    try {
      verdict = await checkLogin(login, user, token)
    } catch (err) {
      reader.detach()
      log.warn(`role lookup on the upstream failed: ${(err as Error).message}`)
      return kit.refuse(socket, fatal('08006', 'RDS simulator: upstream unreachable', 'ClientAuthentication'))
    }
    log.debug(verdict.detail)
    if (!verdict.ok) {
      reader.detach()
      return kit.refuse(socket, verdict.reply)
    }
    return splice(socket, reader, params)
  }

  async function splice(
    client: net.Socket,
    reader: SocketReader,
    params: Map<string, string>,
  ): Promise<void> {
    let upstream: Awaited<ReturnType<typeof openUpstreamSession>>
    try {
      upstream = await openUpstreamSession(options.upstream.host, options.upstream.port, params)
    } catch (err) {
      reader.detach()
      const fields =
        err instanceof UpstreamRefusedError
          ? err.fields
          : {
              S: 'FATAL',
              V: 'FATAL',
              C: '08006',
              M: `RDS simulator: upstream unreachable: ${(err as Error).message}`,
            }
      log.warn(`upstream session failed: ${fields.M}`)
      return kit.refuse(client, serializeErrorResponse(fields))
    }
    const up = upstream.socket
    kit.track(up)
    if (client.destroyed) return void up.destroy()
    client.write(upstream.greeting)
    kit.splice(client, up, reader.detach(), upstream.reader.detach())
  }

  const gate = await listenGate(kit, 'gate', log, handle)
  log.debug(`RDS IAM gate for ${options.rdsHost}:${options.rdsPort} on 127.0.0.1:${gate.port}`)
  // The role directory keeps an upstream connection: end it with the gate.
  return { port: gate.port, close: () => gate.close().then(() => roles.close?.().catch(() => {})) }
}
