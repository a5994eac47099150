// The strip of editor tabs above the SQL editor: select, close, add, rename (double-click), and
// the buttons that open the history and saved-queries panels.
import { useState } from 'react'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import type { TargetWorkspace } from '../services/workspace-service'

/** Editor tab strip of one target. */
export function EditorTabs({ targetId, ws }: { targetId: TargetId; ws: TargetWorkspace }) {
  const ctx = useAppContext()
  const [renaming, setRenaming] = useState<string | null>(null)
  return (
    <div className="editor-tabs" data-testid="editor-tabs" data-dirty={ws.dirty ? 'true' : 'false'}>
      <div className="editor-tab-list" role="tablist" aria-label="Editor tabs">
        {ws.tabs.map((t) => {
          const active = t.id === ws.activeTabId
          return (
            <div key={t.id} className={active ? 'editor-tab active' : 'editor-tab'} data-testid="editor-tab">
              {renaming === t.id ? (
                <input
                  className="editor-tab-rename"
                  aria-label="Tab name"
                  defaultValue={t.title}
                  // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to rename
                  autoFocus
                  maxLength={80}
                  onBlur={(e) => {
                    ctx.workspace.renameTab(targetId, t.id, e.currentTarget.value)
                    setRenaming(null)
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') e.currentTarget.blur()
                    if (e.key === 'Escape') setRenaming(null)
                  }}
                />
              ) : (
                <button
                  type="button"
                  role="tab"
                  aria-selected={active}
                  className="editor-tab-label"
                  title="Double-click to rename"
                  onClick={() => ctx.workspace.selectTab(targetId, t.id)}
                  onDoubleClick={() => setRenaming(t.id)}
                >
                  {t.title}
                </button>
              )}
              <button
                type="button"
                className="editor-tab-close"
                aria-label={`Close ${t.title}`}
                data-testid="close-editor-tab"
                onClick={() => ctx.workspace.closeTab(targetId, t.id)}
              >
                ×
              </button>
            </div>
          )
        })}
        <button
          type="button"
          className="editor-tab-add"
          aria-label="New tab"
          title="New tab"
          data-testid="new-editor-tab"
          onClick={() => ctx.workspace.newTab(targetId)}
        >
          +
        </button>
      </div>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-small"
        data-testid="toggle-saved"
        aria-pressed={ws.panel === 'saved'}
        onClick={() => ctx.workspace.togglePanel(targetId, 'saved')}
      >
        Saved
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="toggle-history"
        aria-pressed={ws.panel === 'history'}
        onClick={() => ctx.workspace.togglePanel(targetId, 'history')}
      >
        History
      </button>
    </div>
  )
}
