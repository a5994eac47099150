// Pacing of input_stream_data under the service's cap of ~1000 data messages in any one second
// (docs/protocol.md §4.4, §13.4), as the SERVICE counts them: by when it reads them, not when we sent them. A
// service that stalls and then reads a backlog at once sees messages we sent over more than a
// second inside one of its windows, so a plain rate limit on our clock is not enough.
//
// Rule: every transmission holds a slot from the moment it is sent until one second after its ack
// arrives. At most `limit` slots are held. Why that bounds the service's count: take any messages the
// service reads within one window [t, t+1s). Each was acked no earlier than it was read (≥ t) and
// sent before t+1s, so at the latest of their send times every one of them still held its slot; hence
// there are at most `limit` of them, whatever the service's stalls. A message never acked (the socket
// dropped) is released when the socket goes away, and still held for a second after that.

/** Slot accounting for data transmissions against the service's sliding one-second count. */
export class ServiceRateWindow {
  /** Unacked transmissions per sequence number (a resend is a second transmission). */
  private readonly unacked = new Map<number, number>()
  private unackedTotal = 0
  /** Times at which held slots were released by an ack, oldest first (ack times only grow). */
  private readonly released: number[] = []
  private head = 0

  constructor(
    /** Slots; keep it under the service's 1000 to absorb resend copies acked before they were read. */
    readonly limit = 990,
    readonly windowMs = 1000,
  ) {}

  private prune(now: number): void {
    while (this.head < this.released.length && this.released[this.head]! + this.windowMs <= now) this.head++
    if (this.head > 1024 && this.head * 2 > this.released.length) {
      this.released.splice(0, this.head)
      this.head = 0
    }
  }

  /** Slots held at `now`. */
  inUse(now: number): number {
    this.prune(now)
    return this.unackedTotal + this.released.length - this.head
  }

  /** Takes a slot for a transmission of `seq`; false when the window is full. */
  take(seq: number, now: number): boolean {
    if (this.inUse(now) >= this.limit) return false
    this.unacked.set(seq, (this.unacked.get(seq) ?? 0) + 1)
    this.unackedTotal++
    return true
  }

  /** The ack for `seq` arrived: its transmissions' slots run out one second from now. */
  acked(seq: number, now: number): void {
    const n = this.unacked.get(seq)
    if (!n) return
    this.unacked.delete(seq)
    this.unackedTotal -= n
    for (let i = 0; i < n; i++) this.released.push(now)
  }

  /** The socket is gone: nothing more will be read of what it carried; release it all from now. */
  releaseUnacked(now: number): void {
    for (const seq of [...this.unacked.keys()]) this.acked(seq, now)
  }

  /** Milliseconds until a slot frees up: 0 when one is free, null when only an ack can free one. */
  msUntilSlot(now: number): number | null {
    if (this.inUse(now) < this.limit) return 0
    if (this.head < this.released.length) return Math.max(1, this.released[this.head]! + this.windowMs - now)
    return null
  }
}
