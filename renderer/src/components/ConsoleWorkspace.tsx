// The upper half of the SQL console: editor tabs, the editor of the active tab, and the history
// or saved-queries panel. Tab text lives in the workspace service (saved by main), not here.
import { useEffect, useRef } from 'react'
import type { SchemaTree } from '../../../shared/ipc/models'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { EMPTY_WORKSPACE } from '../services/workspace-service'
import { EditorTabs } from './EditorTabs'
import { HistoryPanel } from './HistoryPanel'
import { SavedQueriesPanel } from './SavedQueriesPanel'
import { type RunRequest, SqlEditor } from './SqlEditor'

interface Props {
  targetId: TargetId
  tree: SchemaTree | null
  /** The target's engine and database: the editor's SQL dialect and default schema. */
  dialect?: { engine: 'postgres' | 'mysql'; database: string }
  errorAt: number | null
  running: boolean
  onRun(req: RunRequest): void
  onRunAll(req: RunRequest): void
  onCancel(): boolean
  bindRun(get: (mode?: 'statement' | 'all') => RunRequest): void
}

/** Tabs + editor + side panel of one target. */
export function ConsoleWorkspace({
  targetId,
  tree,
  dialect,
  errorAt,
  running,
  onRun,
  onRunAll,
  onCancel,
  bindRun,
}: Props) {
  const ctx = useAppContext()
  const ws = useStoreSelector(ctx.workspace.store, (s) => s.byTarget[targetId] ?? EMPTY_WORKSPACE)
  const tab = ws.tabs.find((t) => t.id === ws.activeTabId)

  useEffect(() => {
    void ctx.workspace.load(targetId)
    const flush = () => void ctx.workspace.flush(targetId)
    window.addEventListener('pagehide', flush)
    return () => {
      window.removeEventListener('pagehide', flush)
      flush()
    }
  }, [ctx, targetId])

  // A run just ended: its entry is in the history now.
  const wasRunning = useRef(running)
  useEffect(() => {
    if (wasRunning.current && !running && ws.panel === 'history') void ctx.workspace.loadHistory(targetId)
    wasRunning.current = running
  }, [ctx, targetId, running, ws.panel])

  return (
    <div className="console-workspace">
      <EditorTabs targetId={targetId} ws={ws} />
      <div className="console-top">
        {tab ? (
          <SqlEditor
            key={`${targetId}:${tab.id}`}
            initial={tab.sql}
            tree={tree}
            dialect={dialect}
            errorAt={errorAt}
            replace={ws.replace?.tabId === tab.id ? ws.replace : null}
            onChange={(sql) => ctx.workspace.setSql(targetId, tab.id, sql)}
            onRun={onRun}
            onRunAll={onRunAll}
            onCancel={onCancel}
            bindRun={bindRun}
          />
        ) : (
          <div className="sql-editor muted pad">Loading tabs…</div>
        )}
        {ws.panel === 'history' ? <HistoryPanel targetId={targetId} ws={ws} /> : null}
        {ws.panel === 'saved' ? <SavedQueriesPanel targetId={targetId} ws={ws} /> : null}
      </div>
    </div>
  )
}
