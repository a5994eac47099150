// Saved queries of a target: save the active tab's text under a name, open one into the editor
// (click) or in a new tab, delete one.
import { useState } from 'react'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import type { TargetWorkspace } from '../services/workspace-service'

/** Saved-queries side panel. */
export function SavedQueriesPanel({ targetId, ws }: { targetId: TargetId; ws: TargetWorkspace }) {
  const ctx = useAppContext()
  const active = ws.tabs.find((t) => t.id === ws.activeTabId)
  const [name, setName] = useState('')
  const save = (): void => {
    const sql = active?.sql.trim()
    if (!sql) {
      ctx.ui.toast('The editor is empty: nothing to save.', 'error')
      return
    }
    void ctx.workspace.saveQuery(targetId, name.trim() || active?.title || 'Query', sql)
    setName('')
  }
  return (
    <aside className="side-panel" data-testid="saved-queries" aria-label="Saved queries">
      <form
        className="side-panel-head"
        onSubmit={(e) => {
          e.preventDefault()
          save()
        }}
      >
        <input
          className="side-search"
          placeholder={`Name (default: ${active?.title ?? 'Query'})`}
          aria-label="Saved query name"
          data-testid="saved-name"
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="btn btn-small btn-primary" data-testid="save-query">
          Save tab
        </button>
      </form>
      <ul className="side-list">
        {ws.saved.length === 0 ? <li className="muted pad small">No saved queries yet.</li> : null}
        {ws.saved.map((q) => (
          <li key={q.id} className="saved-row">
            <button
              type="button"
              className="history-item"
              data-testid="saved-item"
              title={q.sql}
              onClick={() => ctx.workspace.putText(targetId, q.sql)}
            >
              <span className="history-sql saved-name">{q.name}</span>
              <span className="history-meta">{q.sql.replace(/\s+/g, ' ').slice(0, 80)}</span>
            </button>
            <button
              type="button"
              className="icon-btn"
              title="Open in a new tab"
              aria-label={`Open ${q.name} in a new tab`}
              onClick={() => ctx.workspace.newTab(targetId, q.sql)}
            >
              ⧉
            </button>
            <button
              type="button"
              className="icon-btn"
              title="Delete"
              aria-label={`Delete ${q.name}`}
              data-testid="delete-saved"
              onClick={() => void ctx.workspace.deleteSaved(targetId, q.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
