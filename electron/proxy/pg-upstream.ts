// The proxy's upstream side: dial the target's tunnel on 127.0.0.1, ask for TLS and verify the
// certificate for the RDS endpoint name (verify-full while dialling loopback), log in as the IAM
// user with a fresh token, and collect what the database says up to its first ReadyForQuery.
// Backend messages are parsed with node-postgres's pg-protocol; the raw bytes of ParameterStatus
// and notices are kept so the client sees exactly what the database sent.
import net from 'node:net'
import tls from 'node:tls'
import type { BackendKeyDataMessage, BackendMessage, DatabaseError } from 'pg-protocol/dist/messages'
import { Parser } from 'pg-protocol/dist/parser'
import { secureContextFor } from '../base/ca-context'
import { cancelRequest, type ErrorFields, parseTypedMessage, sslRequest, startupMessage } from './pg-wire'
import { SocketBuffer } from './socket-buffer'

/** How to reach one database through its tunnel. */
export interface UpstreamRoute {
  /** Tunnel's local port on 127.0.0.1. */
  port: number
  /** RDS endpoint name: TLS is verified for it. */
  rdsHost: string
  /** PEM CAs that sign the database certificate. */
  ca: string[]
}

export interface UpstreamLogin {
  user: string
  database: string
  /** The IAM token, used once and never kept. */
  token: string
  /** Startup parameters to pass on (application_name, options, GUCs), in order. */
  params: Array<[string, string]>
}

/** An authenticated upstream session, ready for the client's first query. */
export interface UpstreamSession {
  socket: tls.TLSSocket
  /** ParameterStatus and NoticeResponse messages as received, then ReadyForQuery. */
  preamble: Buffer[]
  readyForQuery: Buffer
  backendKey: { processId: number; secretKey: Buffer }
  /** Bytes the database sent after ReadyForQuery (normally none). */
  rest: Buffer
}

/** A refusal worth telling the client about, with the SQLSTATE and message to send it. */
export class UpstreamError extends Error {
  constructor(readonly fields: ErrorFields) {
    super(fields.message)
  }
}

const MAX_BACKEND_MESSAGE = 1 << 20
const CONNECT_TIMEOUT_MS = 30_000

/** Opens TCP to the tunnel and upgrades to TLS verified for the RDS name. */
export async function dialVerified(route: UpstreamRoute): Promise<tls.TLSSocket> {
  const raw = net.connect({ host: '127.0.0.1', port: route.port })
  raw.setNoDelay(true)
  const timer = setTimeout(
    () => raw.destroy(new Error(`no answer from the tunnel within ${CONNECT_TIMEOUT_MS / 1000} s`)),
    CONNECT_TIMEOUT_MS,
  )
  try {
    await new Promise<void>((resolve, reject) => {
      raw.once('connect', resolve)
      raw.once('error', reject)
    })
    raw.write(sslRequest())
    const reader = new SocketBuffer(raw, 64)
    const answer = await reader.take((b) =>
      b.length ? { value: String.fromCharCode(b[0] ?? 0), size: 1 } : null,
    )
    if (reader.buffered > 0) throw new Error('the database sent data before the TLS handshake')
    reader.detach(false)
    if (answer !== 'S')
      throw new UpstreamError({
        severity: 'FATAL',
        code: '08006',
        message: `the database at ${route.rdsHost} refused TLS (answered "${answer}")`,
        hint: 'RDS always offers TLS: check that the target points at the RDS endpoint.',
      })
    const secure = tls.connect({
      socket: raw,
      servername: route.rdsHost,
      secureContext: secureContextFor(route.ca),
      rejectUnauthorized: true,
    })
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve)
      secure.once('error', reject)
    })
    return secure
  } catch (err) {
    raw.destroy()
    if (err instanceof UpstreamError) throw err
    const e = err as NodeJS.ErrnoException
    const tlsProblem = e.code?.startsWith('ERR_TLS') || /certificate|self.signed|altname/i.test(e.message)
    throw new UpstreamError({
      severity: 'FATAL',
      code: tlsProblem ? '08006' : '08001',
      message: tlsProblem
        ? `TLS to ${route.rdsHost} failed verification: ${e.message}`
        : `cannot reach the database through the tunnel: ${e.message}`,
      hint: tlsProblem
        ? "Check the target's CA file (or clear it to use the Amazon RDS CA bundle) and that the RDS host name is the endpoint's."
        : 'Check the tunnel in Porthole; reconnect the target if it failed.',
    })
  } finally {
    clearTimeout(timer)
  }
}

/** Logs in upstream and reads up to the first ReadyForQuery. */
export async function openUpstream(route: UpstreamRoute, login: UpstreamLogin): Promise<UpstreamSession> {
  const socket = await dialVerified(route)
  socket.setNoDelay(true)
  const reader = new SocketBuffer(socket)
  try {
    socket.write(startupMessage([['user', login.user], ['database', login.database], ...login.params]))
    const parser = new Parser()
    const preamble: Buffer[] = []
    let backendKey: UpstreamSession['backendKey'] | undefined
    for (;;) {
      const frame = await reader.take((b) => {
        const m = parseTypedMessage(b, MAX_BACKEND_MESSAGE)
        if (m.kind === 'incomplete') return null
        if (m.kind === 'invalid') return new Error(`the database sent a bad message: ${m.reason}`)
        return { value: b.subarray(0, m.size), size: m.size }
      })
      let msg: BackendMessage | undefined
      parser.parse(frame, (m) => {
        msg = m
      })
      if (!msg) throw new Error('the database sent a message pg-protocol could not read')
      switch (msg.name) {
        case 'authenticationCleartextPassword':
          socket.write(passwordMessage(login.token))
          break
        case 'authenticationOk':
          break
        case 'parameterStatus':
        case 'notice':
          preamble.push(Buffer.from(frame))
          break
        case 'backendKeyData': {
          const k = msg as BackendKeyDataMessage
          // pg-protocol reads the 3.0 key as an Int32; keep its 4 bytes.
          const key = Buffer.alloc(4)
          key.writeInt32BE(k.secretKey)
          backendKey = { processId: k.processID >>> 0, secretKey: key }
          break
        }
        case 'readyForQuery': {
          if (!backendKey) throw new Error('the database sent no BackendKeyData')
          return { socket, preamble, readyForQuery: Buffer.from(frame), backendKey, rest: reader.detach() }
        }
        case 'error':
          throw refusal(msg as DatabaseError, login.user)
        default:
          if (msg.name.startsWith('authentication'))
            throw new UpstreamError({
              severity: 'FATAL',
              code: '28000',
              message: `the database asked for ${msg.name.replace('authentication', '')} instead of an IAM token`,
              hint: `Grant IAM login to ${login.user}: GRANT rds_iam TO "${login.user}".`,
            })
          // Anything else before ReadyForQuery is unexpected but harmless: pass it on.
          preamble.push(Buffer.from(frame))
      }
    }
  } catch (err) {
    reader.detach()
    socket.destroy()
    if (err instanceof UpstreamError) throw err
    throw new UpstreamError({
      severity: 'FATAL',
      code: '08006',
      message: `the connection to the database failed during login: ${(err as Error).message}`,
      hint: 'Check the tunnel in Porthole; reconnect the target if it failed.',
    })
  }
}

function passwordMessage(token: string): Buffer {
  const body = Buffer.from(`${token}\0`, 'utf8')
  const head = Buffer.alloc(5)
  head.write('p', 0, 'latin1')
  head.writeUInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

/** The database's own error, passed on with a hint for the IAM case (RDS says only "PAM ... failed"). */
function refusal(err: DatabaseError, user: string): UpstreamError {
  const pam = /PAM authentication failed/i.test(err.message)
  return new UpstreamError({
    severity: 'FATAL',
    code: err.code ?? '08006',
    message: err.message,
    detail: err.detail,
    hint: pam
      ? `The database refused the IAM token. Check that your AWS identity may rds-db:connect as ${user} and that ${user} has the rds_iam role.`
      : err.hint,
  })
}

/** Sends a CancelRequest to the database through the tunnel on a new TLS connection. */
export async function sendUpstreamCancel(
  route: UpstreamRoute,
  key: { processId: number; secretKey: Buffer },
): Promise<void> {
  const socket = await dialVerified(route)
  await new Promise<void>((resolve) => {
    socket.on('error', () => resolve())
    socket.on('close', () => resolve())
    // The server never answers a cancel; it closes. Do not wait for ever if it does not.
    setTimeout(() => socket.destroy(), 5000).unref()
    socket.end(cancelRequest(key.processId, key.secretKey))
  })
}
