// The data channel's reliability layer (docs/protocol.md §4.4, §5, §13): per-direction sequence numbers, an
// immediate ack for every accepted message, in-order delivery through an incoming buffer, an
// outgoing buffer that keeps every unacked message (even ones whose send failed) for retransmission,
// pacing of input_stream_data against the service's sliding one-second count, and backpressure. It owns no socket: `attach` gives it
// a send function, `receive` feeds it frames, so it survives WebSocket reconnects unchanged.
import type { Logger } from '../base/logger'
import { silentLogger } from '../base/logger'
import { buildHandshakeResponse, type HandshakeRequest, parseHandshakeRequest } from './handshake'
import { RtoEstimator } from './rto'
import { ServiceRateWindow } from './service-rate-window'
import {
  type ClientMessage,
  decodeClientMessage,
  encodeAck,
  encodeClientMessage,
  flagPayload,
  MessageType,
  PayloadType,
  readFlag,
} from './ssm-message-codec'

/** Returns false when the frame could not be handed to the socket (it stays queued for resend). */
export type FrameSender = (frame: Buffer) => boolean

export interface DataChannelHandlers {
  /** The agent's HandshakeRequest, after it was acked and answered. */
  handshake?(request: HandshakeRequest): void
  /** HandshakeComplete: data may flow. */
  ready?(): void
  /** In-order Output payload bytes. */
  output?(data: Buffer): void
  /** A Flag payload from the agent (e.g. 3 = ConnectToPortError). */
  flag?(flag: number): void
  /** channel_closed from the service; `output` is its reason text (may be empty). */
  closed?(info: { output: string; sessionId: string }): void
  /** The send window has room again after `write` returned false. */
  drain?(): void
  /** Basic mode: false while no local connection exists, so Output is left unacked (docs/protocol.md §6.3). */
  acceptOutput?(): boolean
}

export interface DataChannelOptions {
  logger?: Logger
  now?: () => number
  /**
   * Data messages the service may count in any one second, however it batches its reads (cap
   * ~1000, docs/protocol.md §4.4; default 990, see service-rate-window.ts).
   */
  ratePerSec?: number
  /** Queued + unacked messages above which `write` asks the caller to stop reading. */
  windowMessages?: number
  maxPayload?: number
  minRtoMs?: number
  maxRtoMs?: number
  incomingCapacity?: number
  clientVersion?: string
  /** Resend scheduler period (plugin: 100 ms). */
  tickMs?: number
}

interface Outgoing {
  seq: number
  payloadType: number
  frame: Buffer
  /** 0 = never handed to a socket successfully: due at once. */
  lastSent: number
  resends: number
  /** Output payload bytes (0 for control messages): counted in `bytesInFlight` until acked. */
  bytes: number
}

interface Queued {
  payloadType: number
  payload: Buffer
  onAcked?: () => void
}

/** Counters for logs, status and tests. */
export interface DataChannelStats {
  sent: number
  resent: number
  acksSent: number
  duplicates: number
  outOfOrder: number
  malformed: number
  notReadyDrops: number
}

/** One direction pair of the SSM data channel, independent of any WebSocket. */
export class DataChannel {
  readonly stats: DataChannelStats = {
    sent: 0,
    resent: 0,
    acksSent: 0,
    duplicates: 0,
    outOfOrder: 0,
    malformed: 0,
    notReadyDrops: 0,
  }
  readonly rto: RtoEstimator
  handshakeComplete = false
  agentVersion: string | null = null
  private send: FrameSender | null = null
  private nextSeq = 0
  private expected = 0
  private readonly queue: Queued[] = []
  private readonly outgoing = new Map<number, Outgoing>()
  private readonly ackWaiters = new Map<number, () => void>()
  private readonly incoming = new Map<number, ClientMessage>()
  private readonly rate: ServiceRateWindow
  private readonly log: Logger
  private readonly now: () => number
  private readonly window: number
  private readonly maxPayload: number
  private paused = false
  private needDrain = false
  private queuedBytes = 0
  private unackedBytes = 0
  private ended = false
  /** When an ack last arrived, and the latest send time of a transmission the agent acked. */
  private lastAckAt = 0
  private readThrough = 0
  private tickTimer: NodeJS.Timeout | null = null
  private pumpTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly handlers: DataChannelHandlers = {},
    private readonly options: DataChannelOptions = {},
  ) {
    this.log = options.logger ?? silentLogger
    this.now = options.now ?? Date.now
    this.rate = new ServiceRateWindow(options.ratePerSec ?? 990)
    this.rto = new RtoEstimator(options.minRtoMs, options.maxRtoMs)
    this.window = options.windowMessages ?? 2000
    this.maxPayload = options.maxPayload ?? 1024
  }

  /** Messages queued or sent but not yet acked. */
  get pending(): number {
    return this.queue.length + this.outgoing.size
  }

  /** Output bytes queued or sent but not yet acked (the pool's outbound load measure). */
  get bytesInFlight(): number {
    return this.queuedBytes + this.unackedBytes
  }

  /** Unacked sent messages. */
  get unacked(): number {
    return this.outgoing.size
  }

  /** Starts the resend scheduler (the glue calls this once; tests may drive `tick` instead). */
  start(): void {
    if (this.tickTimer || this.ended) return
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 100)
    this.tickTimer.unref()
  }

  /** Stops all timers; the channel keeps its state (used on close). */
  stop(): void {
    this.ended = true
    if (this.tickTimer) clearInterval(this.tickTimer)
    if (this.pumpTimer) clearTimeout(this.pumpTimer)
    this.tickTimer = null
    this.pumpTimer = null
  }

  /** Binds a (new) socket: every unacked message becomes due again, then sending resumes. */
  attach(send: FrameSender): void {
    this.send = send
    for (const o of this.outgoing.values()) o.lastSent = 0
    this.tick()
  }

  /** Forgets the socket (connection lost); state and buffers are kept for a resume. */
  detach(): void {
    this.send = null
    this.rate.releaseUnacked(this.now())
  }

  /** Queues Output bytes in ≤ maxPayload messages; false means "stop reading until drain". */
  write(data: Buffer): boolean {
    this.queuedBytes += data.length
    for (let off = 0; off < data.length; off += this.maxPayload)
      this.queue.push({ payloadType: PayloadType.Output, payload: data.subarray(off, off + this.maxPayload) })
    this.pump()
    const ok = this.pending < this.window
    if (!ok) this.needDrain = true
    return ok
  }

  /** Queues a Flag message; resolves when the agent acks it. */
  sendFlag(flag: number): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ payloadType: PayloadType.Flag, payload: flagPayload(flag), onAcked: resolve })
      this.pump()
    })
  }

  /** Feeds one WebSocket message. Malformed frames are logged and dropped, never thrown. */
  receive(frame: Buffer): void {
    const decoded = decodeClientMessage(frame)
    if (!decoded.ok) {
      this.stats.malformed++
      this.log.warn(`dropped malformed frame: ${decoded.error}`)
      return
    }
    const m = decoded.message
    switch (m.messageType) {
      case MessageType.OutputStreamData:
        this.paused = false
        this.onOutput(m)
        break
      case MessageType.Acknowledge:
        this.paused = false
        this.onAck(m)
        break
      case MessageType.ChannelClosed:
        this.onChannelClosed(m)
        break
      case MessageType.PausePublication:
        this.paused = true
        break
      case MessageType.StartPublication:
        this.paused = false
        this.pump()
        break
      default:
        this.log.debug(`ignored message type ${m.messageType}`)
    }
  }

  /** Resends timed-out messages (oldest first, paced) and sends queued ones. */
  tick(): void {
    if (!this.send || this.paused) return
    const now = this.now()
    let oldest = true
    for (const o of this.outgoing.values()) {
      // Per-message backoff: a message the agent keeps ignoring (not ready) is resent less often.
      const timeout = Math.min(this.rto.rto * 2 ** Math.min(o.resends, 3), 4 * this.rto.rto)
      // Like TCP: one socket keeps order, so an unacked message sent before one the agent acked was
      // dropped (not ready, docs/protocol.md §4.4) and is resent. Otherwise it is only queued at a slow
      // service, and resending it would spend the rate cap: only the oldest is resent, once acks stop.
      const head = oldest
      oldest = false
      if (o.lastSent !== 0) {
        const skipped = o.lastSent < this.readThrough
        if (!skipped && !head) continue
        if (now - (skipped ? o.lastSent : Math.max(o.lastSent, this.lastAckAt)) < timeout) continue
      }
      if (!this.rate.take(o.seq, now)) {
        this.schedulePump()
        return
      }
      if (o.lastSent !== 0) {
        o.resends++
        this.stats.resent++
      }
      if (this.transmit(o.frame)) o.lastSent = now
      if (!this.send) return
    }
    this.pump()
  }

  private transmit(frame: Buffer): boolean {
    if (!this.send) return false
    try {
      return this.send(frame)
    } catch (err) {
      this.log.debug(`send failed, kept for resend: ${String(err)}`)
      return false
    }
  }

  private pump(): void {
    if (this.pumpTimer || !this.send || this.paused) return
    while (this.queue.length > 0 && this.send) {
      const head = this.queue[0]!
      // No data before HandshakeComplete: the agent acks and discards it (docs/protocol.md §4.4).
      if (head.payloadType === PayloadType.Output && !this.handshakeComplete) return
      const now = this.now()
      if (!this.rate.take(this.nextSeq, now)) {
        this.schedulePump()
        return
      }
      this.queue.shift()
      const bytes = head.payloadType === PayloadType.Output ? head.payload.length : 0
      this.queuedBytes -= bytes
      this.unackedBytes += bytes
      const seq = this.nextSeq++
      const frame = encodeClientMessage({
        messageType: MessageType.InputStreamData,
        sequenceNumber: seq,
        flags: 0,
        payloadType: head.payloadType,
        payload: head.payload,
      })
      const o: Outgoing = { seq, payloadType: head.payloadType, frame, lastSent: 0, resends: 0, bytes }
      this.outgoing.set(seq, o)
      if (head.onAcked) this.ackWaiters.set(seq, head.onAcked)
      this.stats.sent++
      if (this.transmit(frame)) o.lastSent = now
    }
  }

  private schedulePump(): void {
    if (this.pumpTimer || this.ended) return
    const wait = this.rate.msUntilSlot(this.now())
    if (wait === null) return // every slot waits for an ack, and each ack pumps
    this.pumpTimer = setTimeout(
      () => {
        this.pumpTimer = null
        this.tick()
      },
      Math.max(1, wait),
    )
    this.pumpTimer.unref()
  }

  private ack(m: ClientMessage): void {
    // Acks are never paced or queued behind data (docs/protocol.md §13.4); without a socket the agent resends.
    if (this.transmit(encodeAck(m))) this.stats.acksSent++
  }

  private onOutput(m: ClientMessage): void {
    const seq = m.sequenceNumber
    if (seq < this.expected) {
      this.stats.duplicates++
      this.ack(m) // re-ack: a lost ack would otherwise stall the agent forever (docs/protocol.md §13.3)
      return
    }
    if (seq > this.expected) {
      if (!this.incoming.has(seq)) {
        if (this.incoming.size >= (this.options.incomingCapacity ?? 10000)) return
        this.incoming.set(seq, m)
        this.stats.outOfOrder++
      }
      this.ack(m)
      return
    }
    const control =
      m.payloadType === PayloadType.HandshakeRequest || m.payloadType === PayloadType.HandshakeComplete
    if (!control && this.handlers.acceptOutput && !this.handlers.acceptOutput()) {
      this.stats.notReadyDrops++
      return
    }
    this.ack(m)
    this.expected++
    this.process(m)
    for (let next = this.incoming.get(this.expected); next; next = this.incoming.get(this.expected)) {
      this.incoming.delete(this.expected)
      this.expected++
      this.process(next)
    }
  }

  private process(m: ClientMessage): void {
    switch (m.payloadType) {
      case PayloadType.HandshakeRequest: {
        const request = parseHandshakeRequest(m.payload)
        if (!request) {
          this.log.warn('HandshakeRequest was not valid JSON; ignored')
          return
        }
        this.agentVersion = request.agentVersion
        // Ack first (done), then the response, ahead of any queued data.
        this.queue.unshift({
          payloadType: PayloadType.HandshakeResponse,
          payload: buildHandshakeResponse(request, this.options.clientVersion),
        })
        this.pump()
        this.handlers.handshake?.(request)
        return
      }
      case PayloadType.HandshakeComplete:
        this.handshakeComplete = true
        this.handlers.ready?.()
        this.pump()
        return
      case PayloadType.Output:
        this.handlers.output?.(m.payload)
        return
      case PayloadType.Flag: {
        const flag = readFlag(m.payload)
        if (flag !== null) this.handlers.flag?.(flag)
        return
      }
      default:
        this.log.debug(`ignored payload type ${m.payloadType}`)
    }
  }

  private onAck(m: ClientMessage): void {
    let seq: unknown
    try {
      seq = (JSON.parse(m.payload.toString('utf8')) as { AcknowledgedMessageSequenceNumber?: unknown })
        .AcknowledgedMessageSequenceNumber
    } catch {
      this.stats.malformed++
      return
    }
    if (typeof seq !== 'number') return
    this.rate.acked(seq, this.now())
    const o = this.outgoing.get(seq)
    if (!o) return
    this.lastAckAt = this.now()
    if (o.lastSent > this.readThrough) this.readThrough = o.lastSent
    this.outgoing.delete(seq)
    this.unackedBytes -= o.bytes
    // Karn: only first transmissions give an unambiguous round-trip sample.
    if (o.resends === 0 && o.lastSent !== 0) this.rto.sample(this.now() - o.lastSent)
    const waiter = this.ackWaiters.get(seq)
    if (waiter) {
      this.ackWaiters.delete(seq)
      waiter()
    }
    this.pump()
    if (this.needDrain && this.pending < this.window / 2) {
      this.needDrain = false
      this.handlers.drain?.()
    }
  }

  private onChannelClosed(m: ClientMessage): void {
    let output = ''
    let sessionId = ''
    try {
      const json = JSON.parse(m.payload.toString('utf8')) as { Output?: unknown; SessionId?: unknown }
      if (typeof json.Output === 'string') output = json.Output
      if (typeof json.SessionId === 'string') sessionId = json.SessionId
    } catch {
      this.log.warn('channel_closed payload was not JSON')
    }
    this.stop()
    this.handlers.closed?.({ output, sessionId })
  }
}
