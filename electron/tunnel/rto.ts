// Retransmission timeout estimator (Jacobson/Karels, docs/protocol.md §4.4): SRTT 100 ms, RTTVAR 0, RTO 200 ms
// initially; RTO = SRTT + max(10 ms, 4·RTTVAR), clamped. The floor avoids the spurious resends the
// plugin produces on loopback, where its RTO settles at 10–20 ms (docs/protocol.md §13.5).

export const RTO_DEFAULTS = {
  initialSrttMs: 100,
  initialRtoMs: 200,
  clockGranularityMs: 10,
  minRtoMs: 100,
  maxRtoMs: 1000,
} as const

/** Tracks SRTT/RTTVAR and derives the resend timeout from acked round trips. */
export class RtoEstimator {
  srtt: number
  rttvar = 0
  rto: number

  constructor(
    private readonly minRto: number = RTO_DEFAULTS.minRtoMs,
    private readonly maxRto: number = RTO_DEFAULTS.maxRtoMs,
  ) {
    this.srtt = RTO_DEFAULTS.initialSrttMs
    this.rto = RTO_DEFAULTS.initialRtoMs
  }

  /** Feeds one round-trip sample (ms) and returns the new RTO. */
  sample(rttMs: number): number {
    const r = Math.max(0, rttMs)
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r)
    this.srtt = 0.875 * this.srtt + 0.125 * r
    const raw = this.srtt + Math.max(RTO_DEFAULTS.clockGranularityMs, 4 * this.rttvar)
    this.rto = Math.min(this.maxRto, Math.max(this.minRto, raw))
    return this.rto
  }
}
