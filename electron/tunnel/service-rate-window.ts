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
// "Acked no earlier than it was read" holds per TRANSMISSION: a resent copy may still be queued at
// the service when the first copy's ack arrives, and is counted when it is read. So one ack releases
// one copy (oldest first; the agent re-acks every duplicate, docs/protocol.md §13.3), never all of
// them. A copy whose re-ack never comes is released `orphanMs` after the first ack, so a peer that
// does not re-ack costs throughput, not a stuck channel.

/** Slot accounting for data transmissions against the service's sliding one-second count. */
export class ServiceRateWindow {
  /** Unacked transmissions per sequence number (a resend is a second transmission). */
  private readonly unacked = new Map<number, number>()
  private unackedTotal = 0
  /** Times at which held slots were released by an ack, oldest first (ack times only grow). */
  private readonly released: number[] = []
  private head = 0
  /** Sequence numbers with copies left after their first ack → when those copies are given up. */
  private readonly orphans = new Map<number, number>()

  constructor(
    /** Slots; a little under the service's 1000 for headroom. */
    readonly limit = 990,
    readonly windowMs = 1000,
    readonly orphanMs = 10_000,
  ) {}

  private prune(now: number): void {
    for (const [seq, deadline] of this.orphans) {
      if (deadline > now) continue
      // Released as of now (not the deadline) so `released` stays in time order; later is safe.
      const n = this.unacked.get(seq) ?? 0
      this.unacked.delete(seq)
      this.orphans.delete(seq)
      this.unackedTotal -= n
      for (let i = 0; i < n; i++) this.released.push(now)
    }
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

  /** An ack for `seq` arrived (first or re-ack): one transmission's slot runs out one second from now. */
  acked(seq: number, now: number): void {
    const n = this.unacked.get(seq)
    if (!n) return
    if (n === 1) {
      this.unacked.delete(seq)
      this.orphans.delete(seq)
    } else {
      this.unacked.set(seq, n - 1)
      if (!this.orphans.has(seq)) this.orphans.set(seq, now + this.orphanMs)
    }
    this.unackedTotal--
    this.released.push(now)
  }

  /** The socket is gone: nothing more will be read of what it carried; release it all from now. */
  releaseUnacked(now: number): void {
    for (const [seq, n] of [...this.unacked]) for (let i = 0; i < n; i++) this.acked(seq, now)
  }

  /** Milliseconds until a slot frees up: 0 when one is free, null when only an ack can free one. */
  msUntilSlot(now: number): number | null {
    if (this.inUse(now) < this.limit) return 0
    let at = this.head < this.released.length ? this.released[this.head]! + this.windowMs : Infinity
    for (const deadline of this.orphans.values()) at = Math.min(at, deadline + this.windowMs)
    return at === Infinity ? null : Math.max(1, at - now)
  }
}
