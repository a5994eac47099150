// Pacing for input_stream_data under the service's ~1000 data messages/s cap (docs/protocol.md §4.4, §13.4).
// A token bucket lets bursts through at once and then meters, instead of sleeping 1 ms per message.

/** A classic token bucket refilled continuously at `ratePerSec` up to `burst` tokens. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    now: number = Date.now(),
  ) {
    this.tokens = burst
    this.last = now
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSec) / 1000)
      this.last = now
    }
  }

  /** Takes one token if available. */
  take(now: number = Date.now()): boolean {
    this.refill(now)
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  /** Whole tokens available now. */
  available(now: number = Date.now()): number {
    this.refill(now)
    return Math.floor(this.tokens)
  }

  /** Milliseconds until one token is available (0 when one is). */
  msUntilToken(now: number = Date.now()): number {
    this.refill(now)
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSec)
  }
}
