// Console workspace for the fake API: editor tabs, saved queries and UI settings kept in memory
// (one page load), with the same rules as electron/store/workspace-store.ts.
import { PortholeError } from '../../../shared/errors'
import type { PortholeHandlers } from '../../../shared/ipc/contract'
import type { UiSettings, Workspace } from '../../../shared/ipc/workspace-models'

type Handlers = Pick<
  PortholeHandlers,
  'getWorkspace' | 'saveEditorTabs' | 'saveQuery' | 'deleteSavedQuery' | 'getUiSettings' | 'saveUiSettings'
>

/** Creates the workspace side of the fake. */
export function createFakeWorkspace(): Handlers {
  const spaces = new Map<string, Workspace>()
  let settings: UiSettings = { theme: 'system' }
  let nextId = 1
  const space = (id: string): Workspace => {
    let ws = spaces.get(id)
    if (!ws) {
      ws = { tabs: [], activeTabId: null, saved: [] }
      spaces.set(id, ws)
    }
    return ws
  }
  return {
    getWorkspace: async ({ targetId }) => space(targetId),
    saveEditorTabs: async ({ targetId, tabs, activeTabId }) => {
      const ws = space(targetId)
      ws.tabs = tabs
      ws.activeTabId =
        activeTabId && tabs.some((t) => t.id === activeTabId) ? activeTabId : (tabs[0]?.id ?? null)
      return { saved: true }
    },
    saveQuery: async ({ targetId, id, name, sql }) => {
      const ws = space(targetId)
      const updatedAt = Date.now()
      if (id) {
        const q = ws.saved.find((x) => x.id === id)
        if (!q) throw PortholeError.of('NOT_FOUND', `No saved query with id ${id}.`)
        Object.assign(q, { name, sql, updatedAt })
        return q
      }
      const q = { id: `sq_fake${nextId++}`, name, sql, updatedAt }
      ws.saved = [...ws.saved, q].sort((a, b) => a.name.localeCompare(b.name))
      return q
    },
    deleteSavedQuery: async ({ targetId, id }) => {
      const ws = space(targetId)
      const before = ws.saved.length
      ws.saved = ws.saved.filter((q) => q.id !== id)
      return { deleted: ws.saved.length < before }
    },
    getUiSettings: async () => settings,
    saveUiSettings: async (patch) => {
      settings = { ...settings, ...patch }
      return settings
    },
  }
}
