// One simulated Session Manager session: the agent's side of the data channel (handshake,
// input ordering and acks, flags, relays) plus the service's limits and session end. The
// WebSocket is attached by the stream service and may be replaced on ResumeSession; sequence
// numbers and buffers survive that.
import type { WebSocket } from 'ws'
import { BasicRelay } from './basic-relay'
import {
  type AgentMessage,
  FlagValue,
  flagPayload,
  PayloadType,
  parseMessage,
  serializeAck,
  serializeChannelClosed,
  serializePublication,
} from './codec'
import { documentProperties, handshakeRequestPayload, parseHandshakeResponse } from './handshake'
import { MuxServer } from './mux-server'
import { NamedTimers } from './named-timers'
import { OutputChannel } from './output-channel'
import { SlidingRateWindow } from './rate-window'
import {
  type AgentFaults,
  newCounters,
  type RelayContext,
  type SessionCounters,
  type SessionRegistration,
  type SimLogger,
  type SimResolver,
} from './types'
import { decideMode } from './version'

/** A session as the stream service keeps it. */
export class AgentSession {
  readonly id: string
  token: string
  readonly counters: SessionCounters = newCounters()
  private ws: WebSocket | undefined
  private readonly out: OutputChannel
  private expectedIn = 0
  private readonly inBuffer = new Map<number, AgentMessage>()
  private handshake: 'none' | 'requested' | 'complete' = 'none'
  private handshakeStarted = 0
  private relay: MuxServer | BasicRelay | undefined
  private notReadyDropped = 0
  private dataIn = 0
  private dropFired = false
  private readonly rate = new SlidingRateWindow()
  /** Frames that arrived while the service's reader was stalled, read all at once afterwards. */
  private stalled: Buffer[] | undefined
  private sinceStall = 0
  private readonly timers = new NamedTimers()
  private readonly properties: Record<string, string>

  constructor(
    private readonly reg: SessionRegistration,
    readonly faults: AgentFaults,
    private readonly resolver: SimResolver,
    private readonly log: SimLogger,
  ) {
    this.id = reg.sessionId
    this.token = reg.tokenValue
    this.properties = documentProperties(reg)
    this.out = new OutputChannel({ transmit: (f) => this.transmit(f) }, faults, this.counters)
  }

  /** Attaches a WebSocket whose OpenDataChannel was accepted (first connect or resume). */
  attach(ws: WebSocket): void {
    if (this.ws && this.ws !== ws) this.ws.terminate()
    this.ws = ws
    if (++this.counters.connections === 1 && this.faults.maxDurationMs > 0)
      // Wording is illustrative; the real text depends on the service.
      this.timers.set('max', this.faults.maxDurationMs, () =>
        this.end('Your session has been terminated because the maximum session duration was reached.'),
      )
    ws.on('close', () => {
      if (this.ws === ws) this.ws = undefined
    })
    this.touchIdle()
    if (this.handshake === 'none') {
      if (this.faults.bogusStartPublication) this.transmit(serializePublication('start_publication'))
      this.handshake = 'requested'
      this.handshakeStarted = Date.now()
      this.out.send(
        PayloadType.HandshakeRequest,
        handshakeRequestPayload(this.faults.agentVersion, this.properties),
      )
      this.timers.set('handshake', this.faults.handshakeTimeoutMs, () =>
        this.end(
          'Handshake timed out. Please ensure that you are using the latest session manager plugin version.',
        ),
      )
    } else this.out.resendAll()
  }

  /** Handles one binary WebSocket message from the client. */
  onBinary(buf: Buffer): void {
    if (this.counters.ended || this.out.paused) return // publication paused: the agent is unreachable
    if (this.stalled) {
      this.stalled.push(buf)
      return
    }
    const m = this.screen(buf)
    if (!m) return
    if (m.messageType === 'acknowledge') {
      this.onAck(m)
      return
    }
    this.counters.messagesIn++
    if (!this.withinRate()) {
      this.counters.rateViolations++
      this.cut(
        `RATE CAP VIOLATED: more than maxMessagesPerSecond (${this.faults.maxMessagesPerSecond}) data messages in one second`,
      )
      return
    }
    this.maybeStall()
    this.touchIdle()
    const seq = m.sequenceNumber
    if (seq !== this.expectedIn) {
      // Buffer early messages; re-ack duplicates (docs/protocol.md §13.3). Both are acked.
      if (seq > this.expectedIn) this.inBuffer.set(seq, m)
      this.ack(m)
      return
    }
    if (m.payloadType === PayloadType.Output && this.handshake === 'complete') {
      if (this.notReadyDropped < this.faults.notReadyDrops) {
        this.notReadyDropped++ // port session "not ready": no ack, the client must resend
        return
      }
    }
    this.ack(m)
    this.expectedIn++
    this.process(m)
    for (let next = this.inBuffer.get(this.expectedIn); next; next = this.inBuffer.get(this.expectedIn)) {
      this.inBuffer.delete(this.expectedIn)
      this.expectedIn++
      this.process(next)
    }
    this.maybeDrop()
  }

  /** Service-side pause_publication: output stops and input goes unanswered until resumed. */
  setPublicationPaused(paused: boolean): void {
    if (this.counters.ended || this.out.paused === paused) return
    this.transmit(serializePublication(paused ? 'pause_publication' : 'start_publication'))
    this.out.paused = paused
    if (!paused) this.out.resendAll()
  }

  /** Cuts the WebSocket; the session survives for ResumeSession. */
  dropConnection(): void {
    this.ws?.terminate()
    this.ws = undefined
  }

  /** Ends the session: channel_closed (HL 112), WebSocket closed, token invalidated. */
  end(output: string): void {
    if (this.counters.ended) return
    this.counters.ended = true
    this.counters.endReason = output
    this.token = ''
    this.timers.clearAll()
    this.relay?.close()
    this.out.close()
    const ws = this.ws
    this.ws = undefined
    const frame = serializeChannelClosed({ sessionId: this.id, destinationId: this.reg.target, output })
    this.later(() => {
      if (ws?.readyState !== 1) return
      ws.send(frame)
      ws.close(1000)
    })
    this.log.info(`session ${this.id} ended: ${output || 'terminated'}`)
  }

  /** Decodes and checks a client message; undefined when it is dropped (or the WebSocket cut). */
  private screen(buf: Buffer): AgentMessage | undefined {
    const m = parseMessage(buf)
    let problem: string | undefined
    if (!m) problem = 'undecodable message dropped'
    else if (m.payload.length > this.faults.maxPayloadBytes) {
      this.cut(`payload of ${m.payload.length} bytes`)
      return undefined
    } else if (!m.digestOk) problem = 'digest mismatch, dropped without ack'
    else if (m.messageType !== 'acknowledge' && m.messageType !== 'input_stream_data')
      problem = `ignored ${m.messageType}`
    if (problem) this.log.warn(`session ${this.id}: ${problem}`)
    return problem ? undefined : m
  }

  private process(m: AgentMessage): void {
    if (m.payloadType === PayloadType.HandshakeResponse) {
      this.onHandshakeResponse(m.payload)
      return
    }
    // Before HandshakeComplete the agent acks and discards everything else.
    if (this.handshake !== 'complete') return
    if (m.payloadType === PayloadType.Flag && m.payload.length >= 4) {
      const flag = m.payload.readUInt32BE(0)
      if (flag === FlagValue.TerminateSession) this.end('')
      else if (flag === FlagValue.DisconnectToPort && this.relay instanceof BasicRelay)
        this.relay.disconnect()
      return // the mux agent ignores DisconnectToPort
    }
    if (m.payloadType === PayloadType.Output) {
      this.dataIn++
      this.relay?.onData(m.payload)
    }
  }

  private onHandshakeResponse(payload: Buffer): void {
    if (this.handshake !== 'requested') return
    const r = parseHandshakeResponse(payload)
    if (!r.ok) {
      this.end(`Handshake failed: ${r.error}`)
      return
    }
    this.timers.clear('handshake')
    const { mode, keepalive } = decideMode(this.properties.type, r.clientVersion, this.faults.agentVersion)
    Object.assign(this.counters, { clientVersion: r.clientVersion, mode, keepalive })
    this.handshake = 'complete'
    const took = (Date.now() - this.handshakeStarted) * 1e6 // a Go time.Duration, in nanoseconds
    this.out.send(
      PayloadType.HandshakeComplete,
      Buffer.from(JSON.stringify({ HandshakeTimeToComplete: took, CustomerMessage: '' })),
    )
    const ctx = this.relayContext()
    this.relay = mode === 'mux' ? new MuxServer(ctx, keepalive, this.faults) : new BasicRelay(ctx)
    this.log.info(
      `session ${this.id}: ${mode} mode for client ${r.clientVersion}${keepalive ? ' (keepalive)' : ''}`,
    )
  }

  private relayContext(): RelayContext {
    return {
      host: this.properties.host || 'localhost',
      port: Number(this.properties.portNumber),
      resolver: this.resolver,
      log: this.log,
      counters: this.counters,
      sendBytes: (b) => this.out.sendBytes(b),
      sendFlag: (f) => this.out.send(PayloadType.Flag, flagPayload(f)),
      fail: (reason) => queueMicrotask(() => this.end(reason)),
      backlog: () => this.out.backlog,
    }
  }

  private onAck(m: AgentMessage): void {
    this.counters.acksIn++
    try {
      const seq = (JSON.parse(m.payload.toString()) as { AcknowledgedMessageSequenceNumber?: unknown })
        .AcknowledgedMessageSequenceNumber
      if (typeof seq === 'number') this.out.onAck(seq)
    } catch {
      this.log.warn(`session ${this.id}: unparsable acknowledge`)
    }
  }

  private ack(m: AgentMessage): void {
    this.counters.acksOut++
    this.transmit(serializeAck(m)) // acks are not paced and not sequenced
  }

  private transmit(frame: Buffer): boolean {
    const ws = this.ws
    if (ws?.readyState !== 1) return false
    this.later(() => {
      if (ws.readyState === 1) ws.send(frame)
    })
    return true
  }

  /** Runs `fn` after the one-way latency (same delay keeps order). */
  private later(fn: () => void): void {
    const ms = this.faults.oneWayLatencyMs
    if (ms > 0) setTimeout(fn, ms)
    else fn()
  }

  private withinRate(): boolean {
    const count = this.rate.record(Date.now())
    this.counters.peakMessagesPerSecond = this.rate.peak
    return count <= this.faults.maxMessagesPerSecond
  }

  /** The readStall fault: stop reading for readStallMs, then read the backlog in one go. */
  private maybeStall(): void {
    const every = this.faults.readStallEveryMessages
    if (every <= 0 || ++this.sinceStall < every) return
    this.sinceStall = 0
    this.stalled = []
    this.counters.readStalls++
    this.timers.set('stall', this.faults.readStallMs, () => {
      const backlog = this.stalled ?? []
      this.stalled = undefined
      for (const frame of backlog) this.onBinary(frame)
    })
  }

  private cut(why: string): void {
    this.log.warn(`session ${this.id}: WebSocket cut by the service (${why})`)
    this.dropConnection()
  }

  private maybeDrop(): void {
    const n = this.faults.dropAfterMessages
    if (n > 0 && !this.dropFired && this.dataIn >= n) {
      this.dropFired = true
      this.cut(`dropAfterMessages ${n}`)
    }
  }

  private touchIdle(): void {
    // Wording is illustrative: the real service's text may differ.
    this.timers.set('idle', this.faults.idleTimeoutMs, () =>
      this.end('Your session timed out due to inactivity and has been terminated.'),
    )
  }
}
