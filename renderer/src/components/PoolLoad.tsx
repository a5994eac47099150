// Per-session load of a pooled tunnel, one compact line per SSM session: open streams, bytes in
// flight and inbound rate (what the engine places new streams by), with draining sessions marked.
import type { SessionLoadStatus } from '../../../shared/ipc/models'
import { formatBytes } from '../format'

/** Shown only for a pool of more than one session (a single session's load is the strip above). */
export function PoolLoad({ sessions }: { sessions: readonly SessionLoadStatus[] | undefined }) {
  if (!sessions || sessions.length < 2) return null
  return (
    <ul className="pool-load muted small pad-x" aria-label="Session pool load" data-testid="pool-load">
      {sessions.map((s) => (
        <li key={s.sessionId} title={s.sessionId}>
          {`…${s.sessionId.slice(-6)}: ${s.openStreams} streams · ${formatBytes(s.bytesInFlight)} in flight · ${formatBytes(s.inRate)}/s in${s.draining ? ' · draining' : ''}`}
        </li>
      ))}
    </ul>
  )
}
