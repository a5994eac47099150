// Where a pooled tunnel puts a new local connection. Each SSM session is a separately rate-capped
// pipe (~1000 messages/s each way), so the best home for a new stream is the session with the least
// work in flight: outbound bytes queued or unacked, inbound bytes waiting for a slow local reader, and
// how fast the agent is currently sending (a stream that just started downloading queues nothing on
// our side yet, but its rate shows). Counting open streams alone treats an idle psql connection and a
// 1 GB COPY alike; counting load keeps every session busy.

/** One session's load as the placement sees it. */
export interface SessionLoad {
  openStreams: number
  /** Outbound bytes queued or sent but unacked, plus inbound bytes not yet taken by local sockets. */
  bytesInFlight: number
  /** Recent inbound bytes per second (EWMA). */
  inRate: number
  /** Streams placed here within the last NEW_STREAM_MS (their traffic may not show yet). */
  newStreams?: number
  /** Draining (pool shrinking) or ended: takes no new streams. */
  accepting: boolean
}

/**
 * Seconds of inbound traffic counted as in flight: about one round of the agent's send window,
 * so a session receiving at the cap looks as busy as one with a full outbound window.
 */
export const INBOUND_HORIZON_S = 1
/** What a new stream is assumed to add before its traffic shows: keeps idle sessions preferred. */
export const STREAM_WEIGHT_BYTES = 64 * 1024

/**
 * How long a new stream counts as busy before its own traffic shows, and as how busy: about one
 * second of a session's capacity. Without it, 8 connections arriving at once were placed 2/2/1/3 over
 * 4 sessions: a session whose new upload had not queued its bytes yet looked idle and took another.
 */
export const NEW_STREAM_MS = 1000
export const NEW_STREAM_BYTES = 1_000_000

/** The load score placement minimises (bytes). */
export function loadScore(s: SessionLoad): number {
  const traffic = s.bytesInFlight + s.inRate * INBOUND_HORIZON_S
  return Math.max(traffic, (s.newStreams ?? 0) * NEW_STREAM_BYTES) + s.openStreams * STREAM_WEIGHT_BYTES
}

/**
 * The index of the session that should take the next stream, or -1 when none accepts.
 * Ties go to fewer open streams, then to the earlier session (stable, predictable).
 */
export function pickSession(loads: readonly SessionLoad[]): number {
  let best = -1
  let bestScore = 0
  for (const [i, s] of loads.entries()) {
    if (!s.accepting) continue
    const score = loadScore(s)
    if (
      best === -1 ||
      score < bestScore ||
      (score === bestScore && s.openStreams < (loads[best] as SessionLoad).openStreams)
    ) {
      best = i
      bestScore = score
    }
  }
  return best
}
