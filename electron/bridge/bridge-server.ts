// The loopback bridge: the same engine the Electron window talks to, offered to a plain browser.
// HTTP on 127.0.0.1 serves the built renderer; a WebSocket at /ipc carries the contract. Three
// gates keep other local pages and processes out: the Host header (DNS rebinding), the exact
// Origin, and a random per-run token compared in constant time.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { type RawData, WebSocket, WebSocketServer } from 'ws'
import { PortholeError } from '../../shared/errors'
import {
  BRIDGE_PATH,
  BRIDGE_PROTOCOL,
  CLOSE_PROTOCOL_ERROR,
  callMessageSchema,
  MAX_MESSAGE_BYTES,
  type ServerMessage,
  TOKEN_PROTOCOL_PREFIX,
} from '../../shared/ipc/bridge-protocol'
import type { EventBus } from '../base/event-bus'
import type { Logger } from '../base/logger'
import type { Dispatch } from '../ipc/dispatcher'
import { contentSecurityPolicy } from './content-security-policy'
import { createLogLimiter } from './log-limiter'
import { plain, serveStatic } from './static-files'

export interface BridgeOptions {
  dispatch: Dispatch
  bus: EventBus
  /** Directory of the built renderer (index.html + assets). */
  staticDir: string
  /** 0 (default) picks a free port. */
  port?: number
  logger: Logger
}

export interface Bridge {
  /** http://127.0.0.1:PORT/#token=… — open this in a browser. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const HOST = '127.0.0.1'

/** Starts the bridge on 127.0.0.1. Rejects PORT_IN_USE if a fixed port is taken. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { dispatch, bus, staticDir, logger } = options
  const token = randomBytes(32).toString('base64url')
  let port = 0
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`]
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`)
  const headers = () => ({
    'Content-Security-Policy': contentSecurityPolicy({
      connectSrc: allowedHosts().map((h) => `ws://${h}`),
    }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  })

  const server = createServer((req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return plain(res, 421, 'Misdirected request')
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed', headers())
    serveStatic(staticDir, req, res, headers()).catch((err) => {
      logger.warn(`static file error: ${String(err)}`)
      if (!res.headersSent) plain(res, 500, 'Internal error')
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // Select our protocol; the token protocol is only a credential and is never echoed back.
    handleProtocols: (protocols) => (protocols.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false),
  })

  // Anyone on this machine can knock; one line per 10 s says so without flooding the log.
  const refusals = createLogLimiter((line) => logger.warn(line))
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req, allowedHosts(), allowedOrigins(), token)
    if (refusal) {
      refusals.note(`bridge refused a WebSocket: ${refusal.reason}`)
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    const send = (message: ServerMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
    }
    const off = bus.onAny((event, payload) => send({ event, payload }))
    ws.on('close', off)
    ws.on('error', (err) => logger.debug(`bridge socket error: ${err.message}`))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? null : parseCall(data)
      if (!message) {
        ws.close(CLOSE_PROTOCOL_ERROR, 'expected {id, method, arg} JSON text')
        return
      }
      void dispatch(message.method, message.arg).then((envelope) => send({ id: message.id, envelope }))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? PortholeError.of('PORT_IN_USE', `Port ${options.port} on ${HOST} is already in use`, {
              hint: 'Pick another with --port, or 0 for any free port.',
            })
          : err,
      ),
    )
    server.listen(options.port ?? 0, HOST, () => resolve())
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0
  logger.info(`bridge listening on http://${HOST}:${port}/`)

  return {
    url: `http://${HOST}:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'Porthole is shutting down')
        wss.close()
        server.close(() => resolve())
        // Browsers keep idle HTTP connections open; do not let them hold shutdown hostage.
        server.closeAllConnections()
      }),
  }
}

/** Why an upgrade is refused (HTTP status line + reason for the log), or null if it may proceed. */
export function checkUpgrade(
  req: IncomingMessage,
  allowedHosts: string[],
  allowedOrigins: string[],
  token: string,
): { status: string; reason: string } | null {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path !== BRIDGE_PATH) return { status: '404 Not Found', reason: `path ${path}` }
  if (!allowedHosts.includes(req.headers.host ?? '')) {
    return { status: '421 Misdirected Request', reason: `host ${req.headers.host}` }
  }
  const origin = req.headers.origin
  if (!origin || !allowedOrigins.includes(origin)) {
    return { status: '403 Forbidden', reason: `origin ${origin ?? '(none)'}` }
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
  const presented = offered
    .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))
    ?.slice(TOKEN_PROTOCOL_PREFIX.length)
  if (!offered.includes(BRIDGE_PROTOCOL) || !presented || !sameSecret(presented, token)) {
    return { status: '401 Unauthorized', reason: presented ? 'wrong token' : 'no token' }
  }
  return null
}

/** Constant-time comparison of two tokens (lengths compared first; the length is not secret). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function parseCall(data: RawData): { id: number; method: string; arg?: unknown } | null {
  try {
    const parsed = callMessageSchema.safeParse(JSON.parse(data.toString()))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
