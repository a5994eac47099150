// Left rail: saved targets with engine, colour, tags and live tunnel state; add/import/export.
import { useRef } from 'react'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { StateBadge } from './StateBadge'

/** The targets list and its actions. */
export function TargetsRail() {
  const ctx = useAppContext()
  const { targets, selectedId, loaded } = useStoreSelector(ctx.targets.store, (s) => s)
  const tunnels = useStoreSelector(ctx.tunnels.store, (s) => s.byTarget)
  const theme = useStoreSelector(ctx.ui.store, (s) => s.theme)
  const fileRef = useRef<HTMLInputElement>(null)

  const onImport = async (file: File | undefined): Promise<void> => {
    if (!file) return
    // A preview step first (issue 11 item 6): nothing changes until the user confirms.
    const json = await file.text()
    const result = await ctx.targets.previewImport(json)
    if ('preview' in result) ctx.ui.openDialog({ kind: 'import-preview', json, preview: result.preview })
    const error = 'error' in result ? result.error : null
    if (error) {
      const first = error.issues?.[0]
      ctx.ui.toast(
        first ? `Import failed: ${first.path} ${first.message}` : `Import failed: ${error.message}`,
        'error',
      )
    }
    if (fileRef.current) fileRef.current.value = ''
  }

  const onExport = async (): Promise<void> => {
    const json = await ctx.targets.exportJson()
    if (json === null) return
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = 'porthole-targets.json'
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  return (
    <nav className="rail" aria-label="Targets">
      <div className="rail-head">
        <span className="brand">Porthole</span>
        <button
          type="button"
          className="btn btn-primary btn-small"
          data-testid="add-target"
          title="Add target (Alt+N)"
          onClick={() => ctx.ui.openDialog({ kind: 'target-form', targetId: null })}
        >
          + Add
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="add-from-aws"
          title="List RDS databases and SSM instances of an AWS profile"
          onClick={() => void ctx.account.openDiscovery()}
        >
          From AWS
        </button>
      </div>
      <ul className="target-list" data-testid="target-list">
        {!loaded ? <li className="muted pad">Loading…</li> : null}
        {loaded && targets.length === 0 ? <li className="muted pad">No targets yet.</li> : null}
        {targets.map((t) => {
          const state = tunnels[t.id]?.state ?? 'idle'
          return (
            <li key={t.id}>
              <button
                type="button"
                className={t.id === selectedId ? 'target-item selected' : 'target-item'}
                aria-current={t.id === selectedId ? 'true' : undefined}
                data-testid="target-item"
                data-target-name={t.name}
                onClick={() => ctx.targets.select(t.id)}
              >
                <span className={`swatch color-${t.color}`} aria-hidden="true" />
                <span className="target-text">
                  <span className="target-name">{t.name}</span>
                  <span className="target-meta">
                    {t.engine} · {t.region}
                    {t.tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                  </span>
                </span>
                <StateBadge state={state} />
              </button>
            </li>
          )
        })}
      </ul>
      <div className="rail-foot">
        <button
          type="button"
          className="btn btn-small"
          data-testid="import-targets"
          onClick={() => fileRef.current?.click()}
        >
          Import…
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="export-targets"
          onClick={() => void onExport()}
        >
          Export
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="theme-toggle"
          title="Theme (system / light / dark)"
          onClick={() => ctx.ui.cycleTheme()}
        >
          Theme: {theme}
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="import-file"
          onChange={(e) => void onImport(e.target.files?.[0])}
        />
      </div>
    </nav>
  )
}
