// The agent's outgoing half of the data channel (docs/protocol.md §4.4): sequence numbers, the unacked
// buffer, ~1 message/ms pacing, oldest-first retransmission with a Jacobson RTO (floor 200 ms,
// cap 1 s), and the output faults (reorder, duplicate, paused publication).
import { PayloadType, serializeMessage } from './codec'
import type { AgentFaults, SessionCounters } from './types'

/** Payload bytes per output message, like the real agent's StreamDataPayloadSize. */
export const CHUNK_BYTES = 1024
const RTO_FLOOR_MS = 200
const RTO_CAP_MS = 1000
const RESEND_CHECK_MS = 50

interface Outgoing {
  seq: number
  payloadType: number
  frame: Buffer
  lastSent: number
  resent: boolean
}

/** How the channel reaches the client: returns false while no WebSocket is attached. */
export interface OutputSink {
  transmit(frame: Buffer): boolean
}

/** Sequenced, paced, retransmitting output_stream_data sender for one session. */
export class OutputChannel {
  /** Next output sequence number (HandshakeRequest is 0). */
  nextSeq = 0
  /** While true nothing is sent or resent (pause_publication). */
  paused = false
  private readonly queue: Outgoing[] = []
  private readonly unacked = new Map<number, Outgoing>()
  private srtt = 100
  private rttvar = 0
  private rto = RTO_FLOOR_MS
  private credit = 1
  private lastPump = Date.now()
  private pumpTimer: NodeJS.Timeout | undefined
  private readonly resendTimer: NodeJS.Timeout
  private dataSent = 0
  private swapNext = true
  private closed = false

  constructor(
    private readonly sink: OutputSink,
    private readonly faults: AgentFaults,
    private readonly counters: SessionCounters,
  ) {
    this.resendTimer = setInterval(() => this.resendOldest(), RESEND_CHECK_MS)
    this.resendTimer.unref()
  }

  /** Messages queued or unacked (for backpressure on destination sockets). */
  get backlog(): number {
    return this.queue.length + this.unacked.size
  }

  /** Queues one output_stream_data message and returns its sequence number. */
  send(payloadType: number, payload: Buffer): number {
    const seq = this.nextSeq++
    const frame = serializeMessage({
      messageType: 'output_stream_data',
      sequenceNumber: seq,
      flags: seq === 0 ? 1 : 0, // the agent sets SYN only on seq 0
      payloadType,
      payload,
    })
    this.queue.push({ seq, payloadType, frame, lastSent: 0, resent: false })
    this.pump()
    return seq
  }

  /** Queues a byte stream as Output messages of at most 1024 bytes. */
  sendBytes(bytes: Buffer): void {
    for (let off = 0; off < bytes.length; off += CHUNK_BYTES)
      this.send(PayloadType.Output, bytes.subarray(off, off + CHUNK_BYTES))
  }

  /** Handles the client's ack by sequence number; updates the RTO from unresent messages. */
  onAck(seq: number): void {
    const m = this.unacked.get(seq)
    if (!m) return
    this.unacked.delete(seq)
    if (!m.resent) {
      const r = Date.now() - m.lastSent
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r)
      this.srtt = 0.875 * this.srtt + 0.125 * r
      this.rto = Math.min(RTO_CAP_MS, Math.max(RTO_FLOOR_MS, this.srtt + Math.max(10, 4 * this.rttvar)))
    }
  }

  /** After a reconnect: resend everything unacked at once, in order, then continue pacing. */
  resendAll(): void {
    for (const m of [...this.unacked.values()].sort((a, b) => a.seq - b.seq)) this.retransmit(m)
    this.pump()
  }

  /** Restarts sending after a pause or a reconnect. */
  pump(): void {
    if (this.closed || this.pumpTimer || this.paused) return
    const now = Date.now()
    // Token bucket: one message per elapsed millisecond, small burst allowance.
    this.credit = Math.min(8, this.credit + (now - this.lastPump))
    this.lastPump = now
    while (this.credit >= 1 && this.queue.length > 0) {
      const m = this.pickNext()
      if (!this.sink.transmit(m.frame)) {
        this.queue.unshift(m)
        return // no WebSocket: wait for resendAll() after the reconnect
      }
      this.credit--
      m.lastSent = Date.now()
      this.unacked.set(m.seq, m)
      this.counters.messagesOut++
      if (m.payloadType === PayloadType.Output && this.faults.duplicateOutput && ++this.dataSent % 3 === 0)
        this.sink.transmit(m.frame)
    }
    if (this.queue.length > 0) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = undefined
        this.pump()
      }, 1)
    }
  }

  /** Stops all timers; queued data is discarded. */
  close(): void {
    this.closed = true
    clearInterval(this.resendTimer)
    if (this.pumpTimer) clearTimeout(this.pumpTimer)
    this.queue.length = 0
    this.unacked.clear()
  }

  /** Next message to send; with reorderOutput, every other pair of data messages is swapped. */
  private pickNext(): Outgoing {
    const [a, b] = this.queue
    if (
      this.faults.reorderOutput &&
      b &&
      a?.payloadType === PayloadType.Output &&
      b.payloadType === PayloadType.Output
    ) {
      this.swapNext = !this.swapNext
      if (!this.swapNext) {
        this.queue.splice(1, 1) // `a` stays at the head and goes out right after
        return b
      }
    }
    return this.queue.shift() as Outgoing
  }

  private resendOldest(): void {
    if (this.paused || this.closed) return
    // The real agent resends only its oldest unacked message (docs/protocol.md §13.3).
    const oldest = this.unacked.values().next().value as Outgoing | undefined
    if (oldest && Date.now() - oldest.lastSent > this.rto) this.retransmit(oldest)
  }

  private retransmit(m: Outgoing): void {
    if (!this.sink.transmit(m.frame)) return
    m.lastSent = Date.now()
    m.resent = true
    this.counters.retransmits++
  }
}
