// An exponentially weighted moving average of a byte rate, decayed by elapsed time so an idle
// session's rate falls towards zero without a timer.

/** EWMA of bytes per second with a time constant of `tauMs`. */
export class RateMeter {
  private rate = 0
  private last: number

  constructor(
    private readonly tauMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now()
  }

  /** Counts `n` bytes arriving now. */
  add(n: number): void {
    const t = this.now()
    this.decayTo(t)
    // Each sample adds its bytes spread over the time constant: a steady flow converges to its rate.
    this.rate += (n * 1000) / this.tauMs
  }

  /** Bytes per second, decayed to now. */
  get perSecond(): number {
    this.decayTo(this.now())
    return this.rate
  }

  private decayTo(t: number): void {
    const dt = t - this.last
    if (dt <= 0) return
    this.rate *= Math.exp(-dt / this.tauMs)
    this.last = t
  }
}
