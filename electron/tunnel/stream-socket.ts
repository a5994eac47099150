// WebSocket glue for one connection to a session's StreamUrl (docs/protocol.md §2): dial with no auth
// headers, send the OpenDataChannel TEXT frame, then carry binary ClientMessages. Pings keep
// middleboxes from idling the connection (the plugin pings every 5 min; we use 60 s).
import { randomUUID } from 'node:crypto'
import WebSocket, { type ClientOptions } from 'ws'
import type { Logger } from '../base/logger'
import { silentLogger } from '../base/logger'
import { CLIENT_VERSION } from './agent-version'

export interface StreamSocketOptions {
  url: string
  tokenValue: string
  /** One random id per client process/tunnel (plugin: per process). */
  clientId: string
  clientVersion?: string
  logger?: Logger
  pingMs?: number
  connectTimeoutMs?: number
  /** Extra `ws` options, e.g. a CA for a simulator's wss endpoint. */
  wsOptions?: ClientOptions
  onMessage(frame: Buffer): void
  onClose(code: number, reason: string): void
}

/** An open data-channel WebSocket. */
export interface StreamSocket {
  /** Sends one binary frame; false when the socket is not open (caller keeps it for resend). */
  send(frame: Buffer): boolean
  close(): void
  readonly isOpen: boolean
}

/** The OpenDataChannel JSON, fields in the order Go marshals them (docs/protocol.md §2). */
export function openDataChannelFrame(
  tokenValue: string,
  clientId: string,
  clientVersion = CLIENT_VERSION,
): string {
  return JSON.stringify({
    MessageSchemaVersion: '1.0',
    RequestId: randomUUID(),
    TokenValue: tokenValue,
    ClientId: clientId,
    ClientVersion: clientVersion,
  })
}

/** Dials the StreamUrl and sends OpenDataChannel; resolves once the frame is written. */
export function openStreamSocket(options: StreamSocketOptions): Promise<StreamSocket> {
  const log = options.logger ?? silentLogger
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(options.url, { ...options.wsOptions, perMessageDeflate: false })
    let opened = false
    let ping: NodeJS.Timeout | null = null
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error(`Timed out connecting to the data channel ${new URL(options.url).host}`))
    }, options.connectTimeoutMs ?? 15000)
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      reject(new Error(`Data channel refused the connection (HTTP ${res.statusCode})`))
      ws.terminate()
    })
    ws.on('error', (err) => {
      log.debug(`data channel socket error: ${err.message}`)
      if (!opened) {
        clearTimeout(timer)
        reject(err)
      }
    })
    ws.on('open', () => {
      opened = true
      clearTimeout(timer)
      ws.send(openDataChannelFrame(options.tokenValue, options.clientId, options.clientVersion))
      ws.ping('keepalive')
      ping = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.ping('keepalive')
      }, options.pingMs ?? 60_000)
      ping.unref()
      resolve({
        send(frame) {
          if (ws.readyState !== WebSocket.OPEN) return false
          ws.send(frame, { binary: true })
          return true
        },
        close() {
          if (ping) clearInterval(ping)
          if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000)
          // A peer that never answers the close handshake must not keep the process alive.
          setTimeout(() => ws.terminate(), 1000).unref()
        },
        get isOpen() {
          return ws.readyState === WebSocket.OPEN
        },
      })
    })
    ws.on('message', (data, isBinary) => {
      // Text and binary are parsed the same way, like the plugin does.
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
      if (!isBinary) log.debug('data channel sent a text frame; parsing it as binary')
      options.onMessage(buf)
    })
    ws.on('close', (code, reason) => {
      if (ping) clearInterval(ping)
      clearTimeout(timer)
      if (opened) options.onClose(code, reason.toString())
    })
  })
}
