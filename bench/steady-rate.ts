// Throughput from byte-arrival logs, with and without the first second. Why: the service counts
// data messages in a sliding one-second window, so a session may send up to ~1000 messages
// (~1 MB) at once before its pacing bites. A transfer that fits in that allowance finishes in a
// burst and says nothing about the sustained ~1 MB/s per session; the steady rate leaves the first
// window out and counts only bytes that arrived after it.

/** One arrival: epoch ms and bytes (at the receiving end: the sink, or the local downloader). */
export interface Arrival {
  at: number
  bytes: number
}

export interface Rates {
  /** All bytes over start → last arrival, MB/s. */
  whole: number
  /** Bytes that arrived after start + windowMs over (last arrival − start − windowMs), MB/s; NaN when the run was too short. */
  steady: number
  /** Last arrival − start, ms. */
  ms: number
  /** Bytes counted. */
  bytes: number
}

/** Rates of `arrivals` for a run that started at `start` (epoch ms); `windowMs` is the service's window. */
export function ratesFrom(arrivals: Arrival[], start: number, windowMs = 1000): Rates {
  let bytes = 0
  let last = start
  let after = 0
  for (const a of arrivals) {
    bytes += a.bytes
    if (a.at > last) last = a.at
    if (a.at > start + windowMs) after += a.bytes
  }
  const ms = last - start
  const steadyMs = ms - windowMs
  // Less than a quarter of a window after the first one is too little to call steady.
  const steady = steadyMs >= windowMs / 4 ? after / 1e3 / steadyMs : Number.NaN
  return { whole: ms > 0 ? bytes / 1e3 / ms : Number.NaN, steady, ms, bytes }
}
