// The MySQL front of the local proxy. MySQL's server speaks first, and `mysql`'s Ctrl-C sends
// KILL QUERY <id> on a new connection with the id from the greeting, so per client: open the
// tunnel, dial the database and read its greeting, greet the client with the database's version
// and connection id (no TLS, no compression; the proxy's own scramble), check the local secret on
// TCP (Unix socket clients are trusted: the socket's folder is 0700), then log in upstream over
// TLS with a fresh IAM token, hand the client the database's OK and relay bytes verbatim.
// Failures are ERR packets, never hangs. Decisions: docs/auth-proxy.md "MySQL".
import type net from 'node:net'
import type { Logger } from '../base/logger'
import type { ClientHandle, ClientRegistry } from './client-registry'
import { CACHING_SHA2, NATIVE_PASSWORD, newScramble, verifyScramble } from './mysql-auth'
import { AUTH_MORE_DATA_HEADER, Cap, frame, type MySqlError, parsePacket, serializeErr } from './mysql-packet'
import { type DialledUpstream, dialMySqlUpstream, loginMySqlUpstream, MySqlRefusal } from './mysql-upstream'
import { type ClientHello, parseClientHello, serializeAuthSwitch, serializeHandshakeV10 } from './mysql-wire'
import type { UpstreamRoute } from './pg-upstream'
import type { ProxyFront, ProxyTransport } from './proxy-front'
import { relay } from './relay'
import { SocketBuffer } from './socket-buffer'

/** What the front needs from the engine for one target. */
export interface MySqlFrontContext {
  targetName: string
  /** The IAM database user: the only user this proxy logs in as. */
  dbUser: string
  /** Used when the client names no database. */
  defaultDatabase: string
  localSecret(): string
  /** Where TCP clients find the secret (named in the refusal). */
  optionFile(): string | null
  route(): Promise<UpstreamRoute & { sessionIds: string[] }>
  signToken(): Promise<string>
  registry: ClientRegistry
  logger: Logger
  /** MySQL's connect_timeout: a client that has not logged in by then is dropped. */
  startupTimeoutMs?: number
}

/** Flags never offered to local clients: no TLS on loopback, no compression (the relay is verbatim). */
const NOT_OFFERED = Cap.SSL | Cap.COMPRESS | Cap.ZSTD_COMPRESSION
/** The upstream login always uses these (the token is longer than a 1-byte length allows). */
const LOGIN_REQUIRED =
  Cap.PROTOCOL_41 | Cap.SECURE_CONNECTION | Cap.PLUGIN_AUTH | Cap.PLUGIN_AUTH_LENENC_CLIENT_DATA
/** Handshake packets larger than this are refused (connect attributes are capped at 64 KiB). */
const MAX_HELLO = 128 * 1024

/** COM_QUIT as a whole packet: length 1, sequence 0 (a new command), command 0x01. */
const COM_QUIT = Buffer.from([1, 0, 0, 0, 0x01])

const ERR_BAD_HANDSHAKE = { code: 1043, sqlState: '08S01', message: 'Bad handshake' }

interface Session {
  socket: net.Socket
  upstream?: net.Socket
  relaying: boolean
}

/** Builds the MySQL front for one target. */
export function createMySqlFront(ctx: MySqlFrontContext): ProxyFront {
  const live = new Set<Session>()
  const log = ctx.logger

  async function serve(socket: net.Socket, transport: ProxyTransport): Promise<void> {
    const session: Session = { socket, relaying: false }
    live.add(session)
    socket.setNoDelay(true)
    socket.on('error', () => {})
    const reader = new SocketBuffer(socket, MAX_HELLO * 2)
    let dialled: DialledUpstream | undefined
    let handle: ClientHandle | undefined
    let seq = 0 // the sequence id the next packet to the client carries
    const timer = setTimeout(() => {
      socket.destroy()
      dialled?.socket.destroy()
    }, ctx.startupTimeoutMs ?? 30_000)
    timer.unref()
    try {
      let route: UpstreamRoute & { sessionIds: string[] }
      try {
        route = await ctx.route()
      } catch (err) {
        log.warn(
          `a MySQL client of "${ctx.targetName}" was refused: the tunnel did not open (${(err as Error).message})`,
        )
        // MySQL's server speaks first, so this client never named itself; it is audited all the same.
        handle = ctx.registry.add({ transport, user: '', database: '', applicationName: '' })
        throw refusal(
          2003,
          '08001',
          `Porthole could not open the tunnel to "${ctx.targetName}": ${(err as Error).message}. Open the target in Porthole to see the tunnel error (credentials, instance, SSM permissions).`,
        )
      }
      dialled = await dialMySqlUpstream(route)
      session.upstream = dialled.socket
      const g = dialled.greeting
      const offered = (g.capabilities & ~NOT_OFFERED) >>> 0
      const scramble = newScramble()
      socket.write(
        frame(
          seq,
          serializeHandshakeV10({ ...g, capabilities: offered, scramble, authPlugin: NATIVE_PASSWORD }),
        ),
      )
      const packet = await readPacket(reader)
      seq = packet.seq + 1
      const hello = parseClientHello(packet.payload)
      if (typeof hello === 'string') {
        log.debug(`bad handshake response: ${hello}`)
        throw new MySqlRefusal(ERR_BAD_HANDSHAKE)
      }
      if (hello.kind === 'ssl-request')
        throw refusal(
          2026,
          'HY000',
          `SSL connection error: the Porthole proxy for "${ctx.targetName}" does not offer TLS on 127.0.0.1 (TLS runs from the proxy to RDS). Turn SSL off for this connection: --skip-ssl (MariaDB client), --ssl-mode=DISABLED (MySQL client), sslMode=DISABLED (JDBC).`,
        )
      const user = hello.user
      const database = hello.database ?? ctx.defaultDatabase
      handle = ctx.registry.add({
        transport,
        user,
        database,
        applicationName: hello.attrs.get('program_name') ?? '',
      })
      if (user !== ctx.dbUser) {
        log.info(`refused MySQL user "${user}": the proxy for "${ctx.targetName}" logs in as "${ctx.dbUser}"`)
        throw refusal(
          1045,
          '28000',
          `Access denied for user '${user}'@'localhost' (using password: ${hello.authResponse.length ? 'YES' : 'NO'}): the Porthole proxy for "${ctx.targetName}" logs in as '${ctx.dbUser}' only`,
        )
      }
      if (transport === 'tcp') seq = await checkSecret(reader, socket, hello, scramble, seq)
      clearTimeout(timer)

      let token: string
      try {
        token = await ctx.signToken()
      } catch (err) {
        throw refusal(
          2003,
          '08001',
          `Porthole could not sign an IAM token for "${ctx.targetName}": ${(err as Error).message}. Refresh your AWS credentials (for SSO: aws sso login --profile <profile>), then reconnect.`,
        )
      }
      const caps =
        (((hello.capabilities & offered) | LOGIN_REQUIRED | Cap.SSL | Cap.CONNECT_WITH_DB) >>> 0) &
        ~Cap.COMPRESS
      const up = await loginMySqlUpstream(dialled, route, {
        capabilities: caps,
        maxPacket: hello.maxPacket,
        charset: hello.charset,
        user,
        database,
        attrsRaw: hello.attrsRaw,
        token,
      })
      session.upstream = up.socket
      handle.client.sessionIds = route.sessionIds
      const early = reader.detach()
      socket.write(Buffer.concat([frame(seq, up.ok), up.rest]))
      if (early.length) up.socket.write(early)
      session.relaying = true
      // A client that leaves sends COM_QUIT and the server then closes first: still the client's end.
      let quit = false
      socket.on('data', (chunk: Buffer) => {
        quit ||= chunk.length === COM_QUIT.length && chunk.equals(COM_QUIT)
      })
      const how = await relay(socket, up.socket, {
        fromClient: (n) => {
          if (handle) handle.client.bytesOut += n
        },
        toClient: (n) => {
          if (handle) handle.client.bytesIn += n
        },
      })
      handle.end(quit ? 'client closed' : how)
    } catch (err) {
      dialled?.socket.destroy()
      session.upstream?.destroy()
      if (err instanceof MySqlRefusal) {
        const e = err.err
        log.debug(`client refused: ${e.code} ${e.message}`)
        handle?.end(`refused: ${e.code} (${e.sqlState}) ${e.message}`)
        refuse(socket, seq, e)
      } else {
        log.debug(`client ended during the handshake: ${(err as Error).message}`)
        handle?.end(`ended during the handshake: ${(err as Error).message}`)
        socket.destroy()
      }
    } finally {
      clearTimeout(timer)
      reader.detach()
      live.delete(session)
    }
  }

  /**
   * Checks the client's scramble against the local secret. A plugin the proxy cannot check is
   * switched to mysql_native_password; caching_sha2_password without data (libmariadb answers a
   * native greeting so) is switched to itself with the proxy's scramble. Resolves with the next
   * sequence id to the client.
   */
  async function checkSecret(
    reader: SocketBuffer,
    socket: net.Socket,
    hello: Extract<ClientHello, { kind: 'response' }>,
    scramble: Buffer,
    seq: number,
  ): Promise<number> {
    let plugin = hello.authPlugin ?? NATIVE_PASSWORD
    let response = hello.authResponse
    const known = plugin === NATIVE_PASSWORD || plugin === CACHING_SHA2
    const switchTo = !known
      ? NATIVE_PASSWORD
      : plugin === CACHING_SHA2 && !response.length
        ? CACHING_SHA2
        : null
    if (switchTo && hello.capabilities & Cap.PLUGIN_AUTH) {
      socket.write(frame(seq, serializeAuthSwitch(switchTo, Buffer.concat([scramble, Buffer.from([0])]))))
      const answer = await readPacket(reader)
      seq = answer.seq + 1
      plugin = switchTo
      response = answer.payload
    }
    const verdict = response.length > 0 && verifyScramble(plugin, response, ctx.localSecret(), scramble)
    if (verdict !== true) {
      const file = ctx.optionFile()
      log.info(
        `refused a TCP client of "${ctx.targetName}": ${response.length ? 'wrong local secret' : 'no password'} (${plugin}). The proxy expects its local secret (Porthole → Proxy${file ? `, or the option file ${file}` : ''}), not a database password or token.`,
      )
      throw refusal(
        1045,
        '28000',
        `Access denied for user '${hello.user}'@'localhost' (using password: ${response.length ? 'YES' : 'NO'}); the Porthole proxy expects its local secret (Porthole: target, Proxy, Copy secret${file ? `; mysql --defaults-extra-file=${file}` : ''})`,
      )
    }
    // caching_sha2_password's fast path: "fast auth success" before the OK.
    if (plugin === CACHING_SHA2) socket.write(frame(seq++, Buffer.from([AUTH_MORE_DATA_HEADER, 0x03])))
    return seq
  }

  return {
    engine: 'mysql',
    serve: (socket, transport) =>
      serve(socket, transport).catch((err: Error) => {
        log.debug(`client handler failed: ${err.message}`)
        socket.destroy()
      }),
    closeAll() {
      for (const s of live) {
        // Mid-session there is no packet the client expects: end the connection, as a server
        // shutting down does. During the handshake the socket is simply closed.
        s.upstream?.destroy()
        if (s.relaying) s.socket.end()
        else s.socket.destroy()
      }
    },
  }
}

const refusal = (code: number, sqlState: string, message: string): MySqlRefusal =>
  new MySqlRefusal({ code, sqlState, message })

function readPacket(reader: SocketBuffer) {
  return reader.take((b) => {
    const p = parsePacket(b, MAX_HELLO)
    if (typeof p === 'string')
      return new MySqlRefusal({ ...ERR_BAD_HANDSHAKE, message: `Bad handshake: ${p}` })
    return p && { value: p, size: p.size }
  })
}

/** Writes a final ERR with the sequence id the client expects and closes. */
function refuse(socket: net.Socket, seq: number, err: MySqlError): void {
  if (socket.destroyed) return
  if (!socket.writable) return void socket.destroy()
  socket.end(frame(seq, serializeErr(err)))
  setTimeout(() => socket.destroy(), 2000).unref()
}
