// The MySQL gate's leg to the real MariaDB/MySQL server: dial it before greeting the client (so the
// client sees the upstream's version and connection id, which KILL QUERY needs), then log in as the
// sim-created user once the client's IAM token checked out.
import net from 'node:net'
import { MySqlSocketReader } from './mysql-socket-reader'
import {
  Cap,
  type HandshakeV10,
  nativePasswordScramble,
  packet,
  parseAuthSwitch,
  parseErr,
  parseHandshakeV10,
  serializeHandshakeResponse,
} from './mysql-wire'

/** The upstream refused the gate's login; `code`/`sqlState`/`message` are its ERR packet. */
export class MySqlUpstreamError extends Error {
  constructor(
    readonly code: number,
    readonly sqlState: string,
    message: string,
  ) {
    super(message)
  }
}

/** A dialled upstream connection waiting for the gate's login. */
export interface MySqlUpstreamSession {
  socket: net.Socket
  reader: MySqlSocketReader
  greeting: HandshakeV10
}

/** Connects to the upstream and reads its greeting. */
export async function dialMySqlUpstream(
  host: string,
  port: number,
  timeoutMs = 5000,
): Promise<MySqlUpstreamSession> {
  const socket = net.connect({ host, port })
  socket.setNoDelay(true)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`upstream ${host}:${port} did not answer`)), timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.off('error', reject)
      resolve()
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
  socket.on('error', () => {})
  const reader = new MySqlSocketReader(socket)
  try {
    const first = await reader.next()
    if (first.payload[0] === 0xff) {
      const e = parseErr(first.payload)
      throw new MySqlUpstreamError(e.code, e.sqlState, e.message)
    }
    return { socket, reader, greeting: parseHandshakeV10(first.payload) }
  } catch (err) {
    socket.destroy()
    throw err
  }
}

/**
 * Logs in with mysql_native_password, keeping the client's negotiated flags (so result framing,
 * EOF vs OK, multi-results and session tracking match what the client expects) minus TLS and
 * attributes. Resolves with the upstream's OK payload.
 */
export async function loginMySqlUpstream(
  session: MySqlUpstreamSession,
  login: {
    user: string
    password: string
    database: string | null
    clientCapabilities: number
    charset: number
    maxPacket: number
  },
): Promise<Buffer> {
  const { reader, socket, greeting } = session
  const keep =
    login.clientCapabilities & greeting.capabilities & ~(Cap.SSL | Cap.CONNECT_ATTRS | Cap.COMPRESS)
  let caps = keep | Cap.LONG_PASSWORD | Cap.PROTOCOL_41 | Cap.SECURE_CONNECTION | Cap.PLUGIN_AUTH
  if (login.database) caps |= Cap.CONNECT_WITH_DB
  else caps &= ~Cap.CONNECT_WITH_DB
  socket.write(
    packet(
      1,
      serializeHandshakeResponse({
        capabilities: caps,
        maxPacket: login.maxPacket,
        charset: login.charset,
        user: login.user,
        authResponse: nativePasswordScramble(login.password, greeting.scramble),
        database: login.database,
        authPlugin: 'mysql_native_password',
      }),
    ),
  )
  for (;;) {
    const p = await reader.next()
    const kind = p.payload[0]
    if (kind === 0x00) return p.payload
    if (kind === 0xff) {
      const e = parseErr(p.payload)
      throw new MySqlUpstreamError(e.code, e.sqlState, e.message)
    }
    if (kind === 0xfe) {
      const sw = parseAuthSwitch(p.payload)
      if (sw.plugin !== 'mysql_native_password')
        throw new MySqlUpstreamError(1251, '08004', `upstream asked for unsupported plugin ${sw.plugin}`)
      socket.write(packet(p.seq + 1, nativePasswordScramble(login.password, sw.data)))
      continue
    }
    throw new MySqlUpstreamError(2027, 'HY000', `unexpected upstream packet 0x${(kind ?? 0).toString(16)}`)
  }
}
