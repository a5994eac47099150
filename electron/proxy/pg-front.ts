// The PostgreSQL front of the local proxy. Per client: answer SSLRequest/GSSENCRequest with 'N'
// (plaintext on loopback, see docs/auth-proxy.md), read the StartupMessage, check the local secret
// on TCP (Unix socket clients are trusted: the socket's folder is 0700), open the upstream through
// the tunnel with a fresh IAM token, hand the client the database's session parameters with the
// proxy's own BackendKeyData, then relay bytes verbatim. Failures are ErrorResponses, never hangs.
import { createHash, timingSafeEqual } from 'node:crypto'
import type net from 'node:net'
import type { Logger } from '../base/logger'
import { CancelKeys } from './cancel-keys'
import type { ClientHandle, ClientRegistry } from './client-registry'
import { openUpstream, sendUpstreamCancel, UpstreamError, type UpstreamRoute } from './pg-upstream'
import {
  authenticationCleartextPassword,
  authenticationOk,
  backendKeyData,
  type ErrorFields,
  errorResponse,
  type FirstPacket,
  negotiateProtocolVersion,
  parseFirstPacket,
  parseTypedMessage,
  passwordFromBody,
} from './pg-wire'
import type { ProxyFront, ProxyTransport } from './proxy-front'
import { relay } from './relay'
import { SocketBuffer } from './socket-buffer'

/** What the front needs from the engine for one target. */
export interface PgFrontContext {
  targetName: string
  /** The IAM database user: the only user this proxy logs in as. */
  dbUser: string
  /** Used when the client names no database. */
  defaultDatabase: string
  /** The per-target local secret TCP clients must send as their password. */
  localSecret(): string
  /** Opens the target's tunnel if needed and says how to reach the database through it. */
  route(): Promise<UpstreamRoute & { sessionIds: string[] }>
  /** A fresh IAM token for the target (one per upstream connection). */
  signToken(): Promise<string>
  registry: ClientRegistry
  logger: Logger
  /** A client that has not finished its startup by then is dropped. */
  startupTimeoutMs?: number
}

/** Startup-phase failures that end the connection with this error. */
class Refusal extends Error {
  constructor(readonly fields: ErrorFields) {
    super(fields.message)
  }
}

const fatal = (code: string, message: string, hint?: string): Refusal =>
  new Refusal({ severity: 'FATAL', code, message, hint })

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/** Builds the PostgreSQL front for one target. */
export function createPgFront(ctx: PgFrontContext): ProxyFront {
  const cancelKeys = new CancelKeys<UpstreamRoute>()
  const live = new Set<{ socket: net.Socket; upstream?: net.Socket }>()
  const log = ctx.logger

  async function serve(socket: net.Socket, transport: ProxyTransport): Promise<void> {
    const session: { socket: net.Socket; upstream?: net.Socket } = { socket }
    live.add(session)
    socket.setNoDelay(true)
    socket.on('error', () => {})
    const reader = new SocketBuffer(socket, 64 * 1024)
    const timer = setTimeout(() => socket.destroy(), ctx.startupTimeoutMs ?? 60_000)
    timer.unref()
    let handle: ClientHandle | undefined
    try {
      const startup = await readStartup(socket, reader)
      if (!startup) return
      const user = startup.params.get('user') ?? ''
      const database = startup.params.get('database') || ctx.defaultDatabase
      handle = ctx.registry.add({
        transport,
        user,
        database,
        applicationName: startup.params.get('application_name') ?? '',
      })
      if (startup.minor > 0 || [...startup.params.keys()].some((k) => k.startsWith('_pq_.')))
        socket.write(
          negotiateProtocolVersion(
            0,
            [...startup.params.keys()].filter((k) => k.startsWith('_pq_.')),
          ),
        )
      if (!user) throw fatal('28000', 'no PostgreSQL user name specified in startup packet')
      if (user !== ctx.dbUser)
        throw fatal(
          '28000',
          `this Porthole proxy logs in to "${ctx.targetName}" as "${ctx.dbUser}" only, not "${user}"`,
          `Connect with user=${ctx.dbUser}.`,
        )
      if (startup.params.has('replication'))
        throw fatal('0A000', 'replication connections are not proxied by Porthole')
      if (transport === 'tcp') await checkSecret(socket, reader, user)
      clearTimeout(timer)

      let route: UpstreamRoute & { sessionIds: string[] }
      try {
        route = await ctx.route()
      } catch (err) {
        throw fatal(
          '08001',
          `Porthole could not open the tunnel to "${ctx.targetName}": ${(err as Error).message}`,
          'Open the target in Porthole to see the tunnel error (credentials, instance, SSM permissions).',
        )
      }
      let token: string
      try {
        token = await ctx.signToken()
      } catch (err) {
        throw fatal(
          '08001',
          `Porthole could not sign an IAM token for "${ctx.targetName}": ${(err as Error).message}`,
          'Refresh your AWS credentials (for SSO: aws sso login --profile <profile>), then reconnect.',
        )
      }
      const params = [...startup.params].filter(
        ([k]) => k !== 'user' && k !== 'database' && !k.startsWith('_pq_.'),
      )
      const upstream = await openUpstream(route, { user, database, token, params })
      session.upstream = upstream.socket
      handle.client.sessionIds = route.sessionIds
      const key = cancelKeys.issue({ upstream: upstream.backendKey, route })
      try {
        const early = reader.detach()
        socket.write(
          Buffer.concat([
            authenticationOk(),
            ...upstream.preamble,
            backendKeyData(key.processId, key.secretKey),
            upstream.readyForQuery,
            upstream.rest,
          ]),
        )
        if (early.length) upstream.socket.write(early)
        const how = await relay(socket, upstream.socket, {
          fromClient: (n) => {
            if (handle) handle.client.bytesOut += n
          },
          toClient: (n) => {
            if (handle) handle.client.bytesIn += n
          },
        })
        handle.end(how)
      } finally {
        cancelKeys.release(key.processId)
      }
    } catch (err) {
      const fields =
        err instanceof Refusal || err instanceof UpstreamError
          ? err.fields
          : { severity: 'FATAL' as const, code: '08006', message: `proxy error: ${(err as Error).message}` }
      if (!(err instanceof Refusal || err instanceof UpstreamError))
        log.debug(`client ended during startup: ${(err as Error).message}`)
      handle?.end(`refused: ${fields.code} ${fields.message}`)
      refuse(socket, fields)
    } finally {
      clearTimeout(timer)
      reader.detach()
      live.delete(session)
    }
  }

  /** Reads first packets until a StartupMessage; handles SSL/GSS requests and cancels on the way. */
  async function readStartup(
    socket: net.Socket,
    reader: SocketBuffer,
  ): Promise<Extract<FirstPacket, { kind: 'startup' }> | undefined> {
    let negotiated = 0
    for (;;) {
      const packet = await reader.take((b): { value: FirstPacket; size: number } | null | Error => {
        const p = parseFirstPacket(b)
        if (p.kind === 'incomplete') return null
        if (p.kind === 'invalid') return fatal('08P01', p.reason)
        if (p.kind === 'direct-tls')
          return new Error('a TLS ClientHello without SSLRequest (direct TLS is not offered)')
        return { value: p, size: p.size }
      })
      if (packet.kind === 'ssl-request' || packet.kind === 'gssenc-request') {
        // Bytes sent along with the request would have been read as encrypted (CVE-2021-23214).
        if (reader.buffered > 0) throw fatal('08P01', 'received unencrypted data after SSL request')
        if (++negotiated > 2) throw fatal('08P01', 'too many encryption requests')
        socket.write('N')
        continue
      }
      if (packet.kind === 'cancel') {
        await forwardCancel(packet.processId, packet.secretKey)
        socket.end()
        return undefined
      }
      if (packet.kind === 'startup') return packet
    }
  }

  async function checkSecret(socket: net.Socket, reader: SocketBuffer, user: string): Promise<void> {
    socket.write(authenticationCleartextPassword())
    const message = await reader.take((b) => {
      const m = parseTypedMessage(b, 1024)
      if (m.kind === 'incomplete') return null
      if (m.kind === 'invalid') return fatal('08P01', `invalid password packet: ${m.reason}`)
      return { value: m, size: m.size }
    })
    const given = message.type === 'p' ? passwordFromBody(message.body) : null
    if (given === null) throw fatal('08P01', `expected a password message, got "${message.type}"`)
    if (!timingSafeEqual(digest(given), digest(ctx.localSecret())))
      throw fatal(
        '28P01',
        `password authentication failed for user "${user}": the Porthole proxy for "${ctx.targetName}" expects its local secret, not a database password or token`,
        'Copy the local secret from Porthole (target → Proxy), use the pgpass file Porthole writes, or connect through the Unix socket.',
      )
  }

  async function forwardCancel(processId: number, secretKey: Buffer): Promise<void> {
    const target = cancelKeys.resolve(processId, secretKey)
    if (!target) {
      log.debug('cancel request for an unknown session ignored')
      return
    }
    log.info(`forwarding a cancel request to ${ctx.targetName} through the tunnel`)
    await sendUpstreamCancel(target.route, target.upstream).catch((err: Error) =>
      log.warn(`cancel could not be sent: ${err.message}`),
    )
  }

  return {
    engine: 'postgres',
    serve: (socket, transport) =>
      serve(socket, transport).catch((err: Error) => {
        log.debug(`client handler failed: ${err.message}`)
        socket.destroy()
      }),
    closeAll(reason) {
      for (const s of live) {
        // Mid-session the client gets a FATAL 57P01 like an admin shutdown, then EOF.
        if (s.upstream) {
          s.upstream.destroy()
          refuse(s.socket, { severity: 'FATAL', code: '57P01', message: reason })
        } else s.socket.destroy()
      }
    },
  }
}

/** Writes a final error and closes; destroys the socket if the peer never reads it. */
function refuse(socket: net.Socket, fields: ErrorFields): void {
  if (socket.destroyed) return
  if (!socket.writable) return void socket.destroy()
  socket.end(errorResponse(fields))
  setTimeout(() => socket.destroy(), 2000).unref()
}
