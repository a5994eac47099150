// SQL console: editor, Run/Cancel, the results panel (a tab per statement, Messages), export, history.
import { useCallback, useRef, useState } from 'react'
import type { Target } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { EMPTY_CONSOLE } from '../services/query-service'
import { ConsoleWorkspace } from './ConsoleWorkspace'
import { ErrorNote } from './ErrorNote'
import { ExplainButtons } from './ExplainButtons'
import { ExplainView } from './ExplainView'
import { ResultsPanel } from './ResultsPanel'
import type { RunRequest } from './SqlEditor'

/** The console of one connected target. */
export function SqlConsole({ target }: { target: Target }) {
  const ctx = useAppContext()
  const id = target.id
  const c = useStoreSelector(ctx.queries.store, (s) => s.consoles[id] ?? EMPTY_CONSOLE)
  const tree = useStoreSelector(ctx.browser.store, (s) => s.tree)
  const explain = useStoreSelector(ctx.explain.store, (s) => s.byTarget[id])
  const [exporting, setExporting] = useState(false)
  const getRun = useRef<(mode?: 'statement' | 'all') => RunRequest>(() => ({ sql: c.sql, offset: 0 }))
  const tab = c.tabs[c.activeTab]
  const pos = c.error?.sql?.position
  const errorAt = pos ? c.sentOffset + pos - 1 : null

  const run = useCallback((req: RunRequest) => void ctx.queries.run(id, req.sql, req.offset), [ctx, id])
  const exportAs = async (format: 'csv' | 'json'): Promise<void> => {
    if (!tab) return
    setExporting(true)
    try {
      const r = await ctx.queries.exportResult(id, c.activeTab, format)
      if (r.path === null) return
      const rows = `${r.rows.toLocaleString('en-US')} rows to ${r.path}`
      if (r.complete) ctx.ui.toast(`Exported ${rows}`)
      else ctx.ui.toast(`Exported only ${rows}: ${r.note ?? 'the rest could not be read'}`, 'error')
    } catch (err) {
      ctx.ui.toast(`Export failed: ${(err as Error).message}`, 'error')
    } finally {
      setExporting(false)
    }
  }

  return (
    <div className="console" data-testid="sql-console">
      <div className="console-toolbar">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="run-query"
          disabled={c.running}
          title="Run the selection, or the whole tab (Ctrl/Cmd+Shift+Enter)"
          onClick={() => run(getRun.current('all'))}
        >
          {c.running ? 'Running…' : 'Run'}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="run-statement"
          disabled={c.running}
          title="Run the statement under the cursor, or the selection (Ctrl/Cmd+Enter)"
          onClick={() => run(getRun.current('statement'))}
        >
          Run statement
        </button>
        <button
          type="button"
          className="btn"
          data-testid="cancel-query"
          disabled={!c.running || c.cancelling}
          onClick={() => void ctx.queries.cancel(id)}
        >
          {c.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
        <ExplainButtons targetId={id} statement={() => getRun.current().sql} />
        {c.running ? <span className="spinner" role="status" aria-label="Running" /> : null}
        <span className="muted small" data-testid="query-summary">
          {c.durationMs !== null && !c.running
            ? `${c.tabs.length} result${c.tabs.length === 1 ? '' : 's'} · ${Math.round(c.durationMs)} ms`
            : ''}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small"
          data-testid="export-csv"
          disabled={!tab?.result.columns || exporting}
          onClick={() => void exportAs('csv')}
        >
          Export CSV
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="export-json"
          disabled={!tab?.result.columns || exporting}
          onClick={() => void exportAs('json')}
        >
          Export JSON
        </button>
      </div>
      <ConsoleWorkspace
        targetId={id}
        tree={tree}
        dialect={{ engine: target.engine, database: target.database }}
        errorAt={errorAt}
        running={c.running}
        onRun={run}
        onRunAll={run}
        onCancel={() => {
          if (!c.running) return false
          void ctx.queries.cancel(id)
          return true
        }}
        bindRun={(get) => {
          getRun.current = get
        }}
      />
      <div className="error-slot">{c.error ? <ErrorNote error={c.error} testId="query-error" /> : null}</div>
      {explain ? <ExplainView targetId={id} state={explain} /> : <ResultsPanel targetId={id} c={c} />}
    </div>
  )
}
