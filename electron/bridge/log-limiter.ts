// Rate limit for a log line that an outsider can trigger at will (refused bridge upgrades): a
// local page or process hammering the bridge must not fill the log or the disk. The first line of
// each window is written; the rest are counted and summarised once the window has passed.

export interface LogLimiter {
  /** Logs `message` now, or counts it if this window already logged one. */
  note(message: string): void
}

/** At most one line per `windowMs` (plus one summary of what was suppressed). */
export function createLogLimiter(
  write: (message: string) => void,
  options: { windowMs?: number; now?: () => number } = {},
): LogLimiter {
  const windowMs = options.windowMs ?? 10_000
  const now = options.now ?? Date.now
  let windowStart = Number.NEGATIVE_INFINITY
  let suppressed = 0
  let last = ''
  return {
    note(message) {
      const t = now()
      if (t - windowStart < windowMs) {
        suppressed++
        last = message
        return
      }
      if (suppressed > 0) write(`${suppressed} more like this were not logged (last: ${last})`)
      suppressed = 0
      windowStart = t
      write(message)
    },
  }
}
