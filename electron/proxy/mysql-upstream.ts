// The MySQL proxy's upstream side, in two steps because MySQL's server speaks first: dial the
// tunnel and read the database's greeting (its version and connection id are handed to the local
// client, so KILL QUERY <id> works through the proxy), then, once the local client authenticated,
// SSLRequest, TLS verified for the RDS host name, HandshakeResponse41 with a fresh IAM token as the
// mysql_clear_password answer, and the database's OK.
import net from 'node:net'
import tls from 'node:tls'
import { secureContextFor } from '../base/ca-context'
import {
  AUTH_SWITCH_HEADER,
  Cap,
  ERR_HEADER,
  frame,
  type MySqlError,
  OK_HEADER,
  parseErr,
  parsePacket,
} from './mysql-packet'
import {
  type HandshakeResponse,
  type HandshakeV10,
  parseAuthSwitch,
  parseHandshakeV10,
  serializeHandshakeResponse,
  serializeSslRequest,
} from './mysql-wire'
import type { UpstreamRoute } from './pg-upstream'
import { SocketBuffer } from './socket-buffer'

export const CLEAR_PASSWORD = 'mysql_clear_password'
const CONNECT_TIMEOUT_MS = 30_000
const MAX_LOGIN_PACKET = 1 << 20

/**
 * A failure with the ERR to give the local client. `fromDatabase` marks the database's own ERR
 * (relayed as it came, sequence id fixed up) as opposed to one the proxy wrote.
 */
export class MySqlRefusal extends Error {
  constructor(
    readonly err: MySqlError,
    readonly fromDatabase = false,
  ) {
    super(err.message)
  }
}

/** A dialled upstream that has greeted and waits for the login. */
export interface DialledUpstream {
  socket: net.Socket
  reader: SocketBuffer
  greeting: HandshakeV10
}

const unreachable = (route: UpstreamRoute, cause: string): MySqlRefusal =>
  new MySqlRefusal({
    code: 2013,
    sqlState: '08S01',
    message: `Porthole could not reach the database ${route.rdsHost} through the tunnel: ${cause}. Check the tunnel in Porthole; reconnect the target if it failed.`,
  })

async function takePacket(reader: SocketBuffer) {
  return reader.take((b) => {
    const p = parsePacket(b, MAX_LOGIN_PACKET)
    if (typeof p === 'string') return new Error(p)
    return p && { value: p, size: p.size }
  })
}

/** Dials the tunnel's port and reads the database's greeting (or its ERR, e.g. too many connections). */
export async function dialMySqlUpstream(route: UpstreamRoute): Promise<DialledUpstream> {
  const socket = net.connect({ host: '127.0.0.1', port: route.port })
  socket.setNoDelay(true)
  const reader = new SocketBuffer(socket)
  const timer = setTimeout(
    () => socket.destroy(new Error(`no greeting within ${CONNECT_TIMEOUT_MS / 1000} s`)),
    CONNECT_TIMEOUT_MS,
  )
  try {
    const first = await takePacket(reader)
    if (first.payload[0] === ERR_HEADER) {
      const e = parseErr(first.payload)
      throw typeof e === 'string' ? new Error(e) : new MySqlRefusal(e, true)
    }
    const greeting = parseHandshakeV10(first.payload)
    if (typeof greeting === 'string') throw new Error(greeting)
    if (!(greeting.capabilities & Cap.SSL))
      throw new MySqlRefusal({
        code: 2026,
        sqlState: 'HY000',
        message: `The database at ${route.rdsHost} does not offer TLS, so Porthole will not send it an IAM token. RDS always offers TLS: check that the target points at the RDS endpoint.`,
      })
    return { socket, reader, greeting }
  } catch (err) {
    reader.detach()
    socket.destroy()
    if (err instanceof MySqlRefusal) throw err
    throw unreachable(route, (err as Error).message)
  } finally {
    clearTimeout(timer)
  }
}

/** What the upstream login sends besides the token: the client's negotiated session settings. */
export type UpstreamLogin = Omit<HandshakeResponse, 'authResponse' | 'authPlugin'> & {
  /** The IAM token, used once and never kept. */
  token: string
}

/**
 * SSLRequest with the login's flags (MariaDB takes the session's flags from it), TLS verified for
 * the RDS name, then the login. Resolves with the database's OK payload and any bytes after it.
 */
export async function loginMySqlUpstream(
  up: DialledUpstream,
  route: UpstreamRoute,
  login: UpstreamLogin,
): Promise<{ socket: tls.TLSSocket; ok: Buffer; rest: Buffer }> {
  if (up.reader.buffered > 0) throw unreachable(route, 'the database sent data before the TLS handshake')
  up.reader.detach(false)
  up.socket.write(frame(1, serializeSslRequest(login.capabilities, login.maxPacket, login.charset)))
  const secure = tls.connect({
    socket: up.socket,
    servername: route.rdsHost,
    // The parsed CA set is shared across dials (ca-context.ts): parsing the RDS bundle costs ~30 ms.
    secureContext: secureContextFor(route.ca),
    rejectUnauthorized: true,
  })
  try {
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve)
      secure.once('error', reject)
      secure.once('close', () => reject(new Error('the connection closed during the TLS handshake')))
    })
  } catch (err) {
    secure.destroy()
    const e = err as NodeJS.ErrnoException
    if (!(e.code?.startsWith('ERR_TLS') || /certificate|self.signed|altname/i.test(e.message)))
      throw unreachable(route, e.message)
    throw new MySqlRefusal({
      code: 2026,
      sqlState: 'HY000',
      message: `SSL connection error: TLS to ${route.rdsHost} failed verification: ${e.message}. Check the target's CA file (or clear it to use the Amazon RDS CA bundle) and that the RDS host name is the endpoint's.`,
    })
  }
  secure.setNoDelay(true)
  secure.on('error', () => {})
  const reader = new SocketBuffer(secure)
  const password = Buffer.from(`${login.token}\0`, 'utf8')
  try {
    secure.write(
      frame(2, serializeHandshakeResponse({ ...login, authResponse: password, authPlugin: CLEAR_PASSWORD })),
    )
    let switched = false
    for (;;) {
      const p = await takePacket(reader)
      const kind = p.payload[0]
      if (kind === OK_HEADER) return { socket: secure, ok: Buffer.from(p.payload), rest: reader.detach() }
      if (kind === ERR_HEADER) {
        const e = parseErr(p.payload)
        throw typeof e === 'string' ? new Error(e) : new MySqlRefusal(e, true)
      }
      const sw = kind === AUTH_SWITCH_HEADER ? parseAuthSwitch(p.payload) : null
      if (sw && typeof sw !== 'string' && sw.plugin === CLEAR_PASSWORD && !switched) {
        // Sent already in the response; a server that asks again gets the same token once.
        switched = true
        secure.write(frame(p.seq + 1, password))
        continue
      }
      throw new MySqlRefusal({
        code: 1251,
        sqlState: '08004',
        message: `The database asked for ${sw && typeof sw !== 'string' ? `the ${sw.plugin} plugin` : `packet 0x${(kind ?? 0).toString(16)}`} instead of an IAM token: is ${login.user} created WITH AWSAuthenticationPlugin AS 'RDS'?`,
      })
    }
  } catch (err) {
    reader.detach()
    secure.destroy()
    if (err instanceof MySqlRefusal) throw err
    throw unreachable(route, `the connection failed during login: ${(err as Error).message}`)
  }
}
