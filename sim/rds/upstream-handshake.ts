// The gate's second leg: once the IAM token checks out, open a plain session to the upstream
// PostgreSQL (real or PGlite) as the same user and database, and collect what the client must see
// next (AuthenticationOk, ParameterStatus, BackendKeyData, ReadyForQuery) so it can be forwarded.
import net from 'node:net'
import { authCode, type ErrorFields, parseErrorFields, serializeStartupMessage } from './pg-wire'
import { PeerClosedError, SocketReader } from './socket-reader'

/** Upstream startup messages are small; anything bigger means we are not talking to PostgreSQL. */
const MAX_UPSTREAM_STARTUP_MESSAGE = 1024 * 1024

/** A ready upstream session: the socket, its reader, and the raw messages to forward. */
export interface UpstreamSession {
  socket: net.Socket
  reader: SocketReader
  /** AuthenticationOk … ReadyForQuery exactly as the upstream sent them. */
  greeting: Buffer
}

/** The upstream refused the session; `fields` is its ErrorResponse (or one the gate made up). */
export class UpstreamRefusedError extends Error {
  /** Wraps the ErrorResponse fields to pass on to the client. */
  constructor(
    readonly fields: ErrorFields,
    readonly raw?: Buffer,
  ) {
    super(fields.M ?? 'upstream refused the session')
  }
}

const AUTH_METHOD_NAMES: Record<number, string> = {
  2: 'Kerberos V5',
  3: 'cleartext password',
  5: 'MD5 password',
  7: 'GSSAPI',
  9: 'SSPI',
  10: 'SASL (SCRAM)',
}

function connect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port })
    const timer = setTimeout(() => socket.destroy(new Error(`connect timeout to ${host}:${port}`)), timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.off('error', reject)
      socket.setNoDelay(true)
      resolve(socket)
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}

/**
 * Opens an upstream session with `params` (the client's startup parameters). Resolves once the
 * upstream sent ReadyForQuery; rejects UpstreamRefusedError when it answers with an error or asks for
 * a password (the simulator's upstream must trust the demo role), or a network error.
 */
export async function openUpstreamSession(
  host: string,
  port: number,
  params: Map<string, string>,
  timeoutMs = 10_000,
): Promise<UpstreamSession> {
  const socket = await connect(host, port, timeoutMs)
  // The caller owns the socket from here; until then, failures must not leave it open or unhandled.
  const swallow = (): void => {}
  socket.on('error', swallow)
  const reader = new SocketReader(socket)
  const parts: Buffer[] = []
  try {
    socket.write(serializeStartupMessage(params))
    for (;;) {
      const msg = await reader.read((f) => f.nextMessage(MAX_UPSTREAM_STARTUP_MESSAGE))
      if (msg.type === 'E') throw new UpstreamRefusedError(parseErrorFields(msg.body), msg.raw)
      if (msg.type === 'R') {
        const code = authCode(msg.body)
        if (code !== 0) {
          const method = AUTH_METHOD_NAMES[code] ?? `code ${code}`
          throw new UpstreamRefusedError({
            S: 'FATAL',
            V: 'FATAL',
            C: '28000',
            M: `RDS simulator: the upstream PostgreSQL at ${host}:${port} asked for ${method} authentication; it must trust user "${params.get('user')}" (the gate already checked the IAM token)`,
          })
        }
      }
      parts.push(msg.raw)
      if (msg.type === 'Z') break
    }
  } catch (err) {
    reader.detach()
    socket.destroy()
    if (err instanceof PeerClosedError)
      throw new UpstreamRefusedError({
        S: 'FATAL',
        V: 'FATAL',
        C: '08006',
        M: `RDS simulator: the upstream PostgreSQL at ${host}:${port} closed the connection during startup`,
      })
    throw err
  }
  socket.off('error', swallow)
  return { socket, reader, greeting: Buffer.concat(parts) }
}
