// The service's data-message cap as it counts it: at most `limit` input data messages in ANY
// one-second window of arrival (read) times, a sliding window rather than fixed buckets, so a client
// that sends evenly but whose messages are read in a batch (a stalled reader) is still caught.
// Sources: docs/simulator.md, "Session Manager service" (docs/protocol.md §4.4, §13.4).

/** Sliding-window counter over the last `windowMs` of arrival times. */
export class SlidingRateWindow {
  private readonly arrivals: number[] = []
  private head = 0
  /** Largest count seen in any window so far. */
  peak = 0

  constructor(private readonly windowMs = 1000) {}

  /** Records one arrival at `now`; returns how many arrivals the window ending now holds. */
  record(now: number): number {
    this.arrivals.push(now)
    while (this.head < this.arrivals.length && this.arrivals[this.head]! <= now - this.windowMs) this.head++
    if (this.head > 4096 && this.head * 2 > this.arrivals.length) {
      this.arrivals.splice(0, this.head)
      this.head = 0
    }
    const count = this.arrivals.length - this.head
    if (count > this.peak) this.peak = count
    return count
  }
}
