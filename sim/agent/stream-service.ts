// The simulated Session Manager stream service (ssmmessages): a WebSocket server on loopback
// that checks each connection's OpenDataChannel frame and token and hands it to its session.
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import { AgentSession } from './agent-session'
import {
  type AgentFaults,
  DEFAULT_FAULTS,
  type SessionCounters,
  type SessionRegistration,
  type SimLogger,
  type SimResolver,
} from './types'

/** Options of startStreamService. */
export interface StreamServiceOptions {
  resolver: SimResolver
  logger?: SimLogger
  defaults?: Partial<AgentFaults>
}

/** The running stream service, as the simulator's SSM API side drives it. */
export interface StreamService {
  port: number
  /** Registers a StartSession result; the client then connects to the returned StreamUrl. */
  registerSession(reg: SessionRegistration & { agentVersion: string }): { streamUrl: string }
  /** A fresh token for ResumeSession (the old one stops working); '' once the session has ended. */
  newToken(sessionId: string): string
  /** Service-side end: channel_closed with `output`, then the WebSocket is closed. */
  terminate(sessionId: string, output?: string): void
  /** True for any registered session, ended or not (see sessionInfo().ended). */
  hasSession(sessionId: string): boolean
  sessionInfo(sessionId: string): SessionCounters | undefined
  /** Service-wide defaults; changes apply to every session that has not overridden the field. */
  faults: AgentFaults
  /** Per-session faults (inherit from `faults`; assignments override for this session only). */
  sessionFaults(sessionId: string): AgentFaults
  /** Sends pause_publication; the session's output and input stall until resumePublication. */
  pausePublication(sessionId: string): void
  /** Sends start_publication and resumes the session. */
  resumePublication(sessionId: string): void
  /** Cuts the session's WebSocket; it can continue after ResumeSession. */
  dropConnection(sessionId: string): void
  close(): Promise<void>
}

const silent: SimLogger = { debug() {}, info() {}, warn() {} }

/** Starts the stream service on 127.0.0.1 with an ephemeral port. */
export async function startStreamService(options: StreamServiceOptions): Promise<StreamService> {
  const log = options.logger ?? silent
  const faults: AgentFaults = { ...DEFAULT_FAULTS, ...options.defaults }
  const sessions = new Map<string, AgentSession>()
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1 << 20 })
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve)
    wss.once('error', reject)
  })
  const port = (wss.address() as AddressInfo).port

  wss.on('connection', (ws, req) => {
    const match = /^\/v1\/data-channel\/([^/?]+)/.exec(req.url ?? '')
    const session = match ? sessions.get(decodeURIComponent(match[1] as string)) : undefined
    if (!session) return refuse(ws, 'unknown session')
    // A connection that never sends OpenDataChannel is dropped, as the service would.
    const openTimer = setTimeout(() => refuse(ws, `session ${session.id}: no OpenDataChannel`), 10_000)
    openTimer.unref()
    ws.once('message', (data, isBinary) => {
      clearTimeout(openTimer)
      const reason = checkOpen(data as Buffer, isBinary, session)
      if (reason) return refuse(ws, `session ${session.id}: ${reason}`)
      session.attach(ws)
      ws.on('message', (msg, binary) => {
        const buf = msg as Buffer
        const ms = session.faults.oneWayLatencyMs
        const handle = () => (binary ? session.onBinary(buf) : log.debug('text frame after open ignored'))
        if (ms > 0) setTimeout(handle, ms)
        else handle()
      })
    })
  })

  function refuse(ws: WebSocket, why: string): void {
    log.warn(`stream service refused a connection: ${why}`)
    ws.close(1008, 'refused')
  }

  const get = (id: string) => sessions.get(id)

  return {
    port,
    faults,
    registerSession(reg) {
      const perSession = Object.create(faults) as AgentFaults
      if (reg.agentVersion) perSession.agentVersion = reg.agentVersion
      sessions.set(reg.sessionId, new AgentSession(reg, perSession, options.resolver, log))
      const id = encodeURIComponent(reg.sessionId)
      return {
        streamUrl: `ws://127.0.0.1:${port}/v1/data-channel/${id}?role=publish_subscribe&cell-number=1`,
      }
    },
    newToken(id) {
      const s = get(id)
      if (!s || s.counters.ended) return ''
      s.token = randomBytes(96).toString('base64url')
      return s.token
    },
    terminate: (id, output = '') => get(id)?.end(output),
    hasSession: (id) => sessions.has(id),
    sessionInfo: (id) => {
      const s = get(id)
      return s ? { ...s.counters } : undefined
    },
    sessionFaults(id) {
      const s = get(id)
      if (!s) throw new Error(`no session ${id}`)
      return s.faults
    },
    pausePublication: (id) => get(id)?.setPublicationPaused(true),
    resumePublication: (id) => get(id)?.setPublicationPaused(false),
    dropConnection: (id) => get(id)?.dropConnection(),
    async close() {
      for (const s of sessions.values()) s.end('')
      for (const c of wss.clients) c.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}

/** Validates the OpenDataChannel first frame (docs/protocol.md §2); returns a refusal reason or undefined. */
function checkOpen(data: Buffer, isBinary: boolean, s: AgentSession): string | undefined {
  if (isBinary) return 'first frame is not TEXT'
  let open: Record<string, unknown>
  try {
    open = JSON.parse(data.toString('utf8'))
  } catch {
    return 'OpenDataChannel is not JSON'
  }
  if (open.MessageSchemaVersion !== '1.0') return 'MessageSchemaVersion is not "1.0"'
  if (typeof open.RequestId !== 'string' || open.RequestId.length < 16) return 'missing RequestId'
  if (s.counters.ended || !s.token || open.TokenValue !== s.token) return 'invalid token'
  return undefined
}
