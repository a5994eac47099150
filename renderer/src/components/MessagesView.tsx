// The Messages view of a run: one line per statement (command, rows, time), the server's notices
// and warnings (RAISE NOTICE, engine notes) in the order they came, and the error that stopped it.
import type { ConsoleState } from '../services/query-service'

/** Text lines of a run, as a console's Messages view lists them. */
export function runMessages(c: ConsoleState): Array<{ kind: 'info' | 'notice' | 'error'; text: string }> {
  const lines: Array<{ kind: 'info' | 'notice' | 'error'; text: string }> = []
  for (const t of c.tabs) {
    const r = t.result
    // The final statement's count is what was read so far while its cursor stays open.
    const count = Math.max(r.rowCount ?? 0, t.rows.length)
    const open = t.hasMore && count <= t.rows.length ? '+' : ''
    const what = r.columns
      ? `${count.toLocaleString('en-US')}${open} row${count === 1 && !open ? '' : 's'}`
      : `${r.rowCount ?? 0} affected`
    const cut = r.truncated ? ' · cut: later statements needed the connection' : ''
    lines.push({
      kind: 'info',
      text: `Statement ${r.index + 1}: ${r.command ?? 'done'} · ${what} · ${Math.round(r.durationMs)} ms${cut}`,
    })
  }
  for (const n of c.notices) lines.push({ kind: 'notice', text: n })
  if (c.error) {
    const state = c.error.sql?.sqlstate ? `[${c.error.sql.sqlstate}] ` : ''
    lines.push({ kind: 'error', text: `${state}${c.error.message}` })
  }
  return lines
}

/** Lists the messages of the last run; plain text nodes only. */
export function MessagesView({ c }: { c: ConsoleState }) {
  const lines = runMessages(c)
  return (
    <ol className="messages" data-testid="messages-view" aria-label="Messages">
      {lines.length === 0 ? <li className="muted">No messages.</li> : null}
      {lines.map((l, i) => (
        // Lines never reorder within a run, so the index is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={i} className={`message message-${l.kind}`} data-testid={`message-${l.kind}`}>
          {l.text}
        </li>
      ))}
    </ol>
  )
}
