// Application shell: rail, selected target (status + browse/SQL views), dialogs, toasts, theme
// and global shortcuts. Effects here only translate engine state into loads; no tunnel logic.
import { useEffect } from 'react'
import { BackendBanner } from './components/BackendBanner'
import { ConnStringsDialog } from './components/ConnStringsDialog'
import { DisconnectDialog } from './components/DisconnectDialog'
import { DiscoveryDialog } from './components/DiscoveryDialog'
import { EmptyState } from './components/EmptyState'
import { ImportPreviewDialog } from './components/ImportPreviewDialog'
import { ProxyPanel } from './components/ProxyPanel'
import { SignInDialog } from './components/SignInDialog'
import { DeleteDialog, MfaDialog } from './components/SmallDialogs'
import { SqlConsole } from './components/SqlConsole'
import { TableBrowser } from './components/TableBrowser'
import { TargetForm } from './components/TargetForm'
import { TargetsRail } from './components/TargetsRail'
import { Toasts } from './components/Toasts'
import { TunnelPanel } from './components/TunnelPanel'
import { useAppContext } from './hooks/useAppContext'
import { useStoreSelector } from './hooks/useStoreSelector'
import { useTheme } from './hooks/useTheme'

/** The whole UI. */
export function App() {
  const ctx = useAppContext()
  const target = useStoreSelector(
    ctx.targets.store,
    (s) => s.targets.find((t) => t.id === s.selectedId) ?? null,
  )
  const loaded = useStoreSelector(ctx.targets.store, (s) => s.loaded)
  const state = useStoreSelector(ctx.tunnels.store, (s) =>
    target ? s.byTarget[target.id]?.state : undefined,
  )
  const { view, dialog } = useStoreSelector(ctx.ui.store, (s) => s)
  useTheme()

  const open = state === 'open'
  const targetId = target?.id ?? null
  useEffect(() => {
    if (targetId && open) void ctx.browser.loadTree(targetId)
    else ctx.browser.reset(targetId)
  }, [ctx, targetId, open])

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return
      const k = e.key.toLowerCase()
      if (k === 'n') ctx.ui.openDialog({ kind: 'target-form', targetId: null })
      else if (k === '1') ctx.ui.setView('browse')
      else if (k === '2') ctx.ui.setView('sql')
      else if (k === 'c' && target && !open) void ctx.tunnels.connect(target.id)
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [ctx, target, open])

  return (
    <div className="app">
      <TargetsRail />
      <main className="main">
        {loaded && !target ? <EmptyState /> : null}
        {target ? (
          <>
            <TunnelPanel target={target} />
            {/* Keyed: a secret revealed for one target must not stay on screen for the next. */}
            <ProxyPanel key={target.id} target={target} />
            <div className="view-tabs" role="tablist" aria-label="View">
              <button
                type="button"
                role="tab"
                aria-selected={view === 'browse'}
                className={view === 'browse' ? 'tab active' : 'tab'}
                data-testid="view-browse"
                title="Alt+1"
                onClick={() => ctx.ui.setView('browse')}
              >
                Tables
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={view === 'sql'}
                className={view === 'sql' ? 'tab active' : 'tab'}
                data-testid="view-sql"
                title="Alt+2"
                onClick={() => ctx.ui.setView('sql')}
              >
                SQL console
              </button>
            </div>
            <div className="view-body">
              {!open ? (
                <div className="empty-hint" data-testid="not-connected">
                  Connect to browse tables and run queries.
                </div>
              ) : view === 'browse' ? (
                <TableBrowser />
              ) : (
                <SqlConsole target={target} />
              )}
            </div>
          </>
        ) : null}
      </main>
      {dialog?.kind === 'target-form' ? <TargetForm targetId={dialog.targetId} /> : null}
      {dialog?.kind === 'delete-target' ? <DeleteDialog targetId={dialog.targetId} /> : null}
      {dialog?.kind === 'conn-strings' ? <ConnStringsDialog targetId={dialog.targetId} /> : null}
      {dialog?.kind === 'confirm-disconnect' ? <DisconnectDialog dialog={dialog} /> : null}
      {dialog?.kind === 'import-preview' ? (
        <ImportPreviewDialog json={dialog.json} preview={dialog.preview} />
      ) : null}
      <MfaDialog />
      <DiscoveryDialog />
      <SignInDialog />
      <Toasts />
      <BackendBanner />
    </div>
  )
}
