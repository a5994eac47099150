// The query history of a target: searchable, newest first, with when, how long and how many rows.
// Clicking an entry puts its SQL into the active editor tab.
import { useEffect, useState } from 'react'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import type { TargetWorkspace } from '../services/workspace-service'

const when = (at: number): string => {
  const d = new Date(at)
  const today = new Date().toDateString() === d.toDateString()
  return today ? d.toLocaleTimeString() : d.toLocaleString()
}

/** History side panel. */
export function HistoryPanel({ targetId, ws }: { targetId: TargetId; ws: TargetWorkspace }) {
  const ctx = useAppContext()
  const [search, setSearch] = useState(ws.historySearch)
  useEffect(() => {
    const t = setTimeout(() => void ctx.workspace.loadHistory(targetId, search), 150)
    return () => clearTimeout(t)
  }, [ctx, targetId, search])
  return (
    <aside className="side-panel" data-testid="history" aria-label="Query history">
      <div className="side-panel-head">
        <input
          type="search"
          className="side-search"
          placeholder="Search history"
          aria-label="Search history"
          data-testid="history-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button
          type="button"
          className="btn btn-small"
          title="Forget this target's history"
          data-testid="clear-history"
          disabled={ws.history.length === 0}
          onClick={() => void ctx.workspace.clearHistory(targetId)}
        >
          Clear
        </button>
      </div>
      <ul className="side-list">
        {ws.history.length === 0 ? (
          <li className="muted pad small">{search ? 'Nothing matches.' : 'No queries yet.'}</li>
        ) : null}
        {ws.history.map((h) => (
          <li key={`${h.at}:${h.sql.length}:${h.durationMs ?? ''}`}>
            <button
              type="button"
              className={h.ok ? 'history-item' : 'history-item failed'}
              data-testid="history-item"
              title={h.error ? `${h.sql}\n\n${h.error}` : h.sql}
              onClick={() => ctx.workspace.putText(targetId, h.sql)}
            >
              <span className="history-sql">{h.sql}</span>
              <span className="history-meta">
                {when(h.at)}
                {h.durationMs !== undefined
                  ? ` · ${Math.round(h.durationMs).toLocaleString('en-US')} ms`
                  : ''}
                {h.rowCount !== undefined && h.rowCount !== null
                  ? ` · ${h.rowCount.toLocaleString('en-US')}${h.more ? '+' : ''} rows`
                  : ''}
                {h.ok ? '' : ' · failed'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
