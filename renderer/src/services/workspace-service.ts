// The console's editor tabs, saved queries and history per target. Main owns the files; this keeps
// the loaded copy, applies edits at once and saves tab text shortly after typing stops, so a
// restart brings every tab back with its text.
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { EditorTab, HistoryEntry, SavedQuery } from '../../../shared/ipc/workspace-models'
import { MAX_TABS } from '../../../shared/ipc/workspace-models'
import type { TargetId } from '../../../shared/target-schema'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'
import type { UiService } from './ui-service'

export type SidePanel = 'none' | 'history' | 'saved'

export interface TargetWorkspace {
  loaded: boolean
  tabs: EditorTab[]
  activeTabId: string
  saved: SavedQuery[]
  history: HistoryEntry[]
  historySearch: string
  panel: SidePanel
  /** Text put into a tab from outside the editor (history, saved query); the editor applies it once. */
  replace: { tabId: string; sql: string; nonce: number } | null
  /** A tab save is waiting or in flight. */
  dirty: boolean
}

export interface WorkspaceState {
  byTarget: Record<string, TargetWorkspace>
}

/** How long after the last keystroke tab text is saved. */
export const SAVE_DELAY_MS = 400

const randomId = (prefix: string): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return `${prefix}${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** The next free "Query N" title. */
export function nextTabTitle(tabs: EditorTab[]): string {
  const used = new Set(tabs.map((t) => t.title))
  for (let n = tabs.length + 1; ; n++) if (!used.has(`Query ${n}`)) return `Query ${n}`
}

const blank = (): TargetWorkspace => ({
  loaded: false,
  tabs: [],
  activeTabId: '',
  saved: [],
  history: [],
  historySearch: '',
  panel: 'none',
  replace: null,
  dirty: false,
})

/** Renderer service for the console workspace. */
export class WorkspaceService {
  readonly store = new Store<WorkspaceState>({ byTarget: {} })
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  private nonce = 1

  constructor(
    private readonly api: PortholeApi,
    private readonly ui: UiService,
    /** Text of the first tab of a target that has none yet. */
    private readonly firstTabSql: () => string,
  ) {}

  /** The workspace of a target (a blank one before load). */
  of(targetId: TargetId): TargetWorkspace {
    return this.store.getState().byTarget[targetId] ?? EMPTY_WORKSPACE
  }

  /** Text of the active tab ('' before load). */
  activeSql(targetId: TargetId): string {
    const ws = this.of(targetId)
    return ws.tabs.find((t) => t.id === ws.activeTabId)?.sql ?? ''
  }

  /** Loads tabs and saved queries once per target; a target with no tabs gets one. */
  async load(targetId: TargetId): Promise<void> {
    if (this.of(targetId).loaded) return
    try {
      const ws = await this.api.getWorkspace({ targetId })
      const tabs = ws.tabs.length
        ? ws.tabs
        : [{ id: randomId('tab'), title: 'Query 1', sql: this.firstTabSql() }]
      const activeTabId = tabs.some((t) => t.id === ws.activeTabId) ? ws.activeTabId! : tabs[0]!.id
      this.patch(targetId, { loaded: true, tabs, activeTabId, saved: ws.saved })
    } catch (err) {
      // Without the workspace the console still works with one unsaved tab.
      const tab = { id: randomId('tab'), title: 'Query 1', sql: this.firstTabSql() }
      this.patch(targetId, { loaded: true, tabs: [tab], activeTabId: tab.id })
      this.ui.toast(`Could not load saved tabs: ${errorInfoOf(err).message}`, 'error')
    }
  }

  /** Opens a new tab (optionally with text) and makes it active. */
  newTab(targetId: TargetId, sql = ''): void {
    const { tabs } = this.of(targetId)
    if (tabs.length >= MAX_TABS) {
      this.ui.toast(`At most ${MAX_TABS} tabs; close one first.`, 'error')
      return
    }
    const tab = { id: randomId('tab'), title: nextTabTitle(tabs), sql }
    this.patch(targetId, { tabs: [...tabs, tab], activeTabId: tab.id })
    this.saveSoon(targetId, 0)
  }

  /** Closes a tab; the last tab is emptied instead of closed. */
  closeTab(targetId: TargetId, tabId: string): void {
    const { tabs, activeTabId } = this.of(targetId)
    const at = tabs.findIndex((t) => t.id === tabId)
    if (at < 0) return
    if (tabs.length === 1) {
      this.putText(targetId, '')
      return
    }
    const rest = tabs.filter((t) => t.id !== tabId)
    const active = activeTabId === tabId ? rest[Math.min(at, rest.length - 1)]!.id : activeTabId
    this.patch(targetId, { tabs: rest, activeTabId: active })
    this.saveSoon(targetId, 0)
  }

  /** Makes a tab active. */
  selectTab(targetId: TargetId, tabId: string): void {
    if (!this.of(targetId).tabs.some((t) => t.id === tabId)) return
    this.patch(targetId, { activeTabId: tabId })
    this.saveSoon(targetId, 0)
  }

  /** Renames a tab (blank names are ignored). */
  renameTab(targetId: TargetId, tabId: string, title: string): void {
    const name = title.trim().slice(0, 80)
    if (!name) return
    this.patch(targetId, {
      tabs: this.of(targetId).tabs.map((t) => (t.id === tabId ? { ...t, title: name } : t)),
    })
    this.saveSoon(targetId, 0)
  }

  /** The editor's text changed. */
  setSql(targetId: TargetId, tabId: string, sql: string): void {
    const { tabs } = this.of(targetId)
    if (tabs.find((t) => t.id === tabId)?.sql === sql) return
    this.patch(targetId, { tabs: tabs.map((t) => (t.id === tabId ? { ...t, sql } : t)) })
    this.saveSoon(targetId, SAVE_DELAY_MS)
  }

  /** Puts `sql` into the active tab (clicking history or a saved query); undoable in the editor. */
  putText(targetId: TargetId, sql: string): void {
    const { activeTabId } = this.of(targetId)
    this.setSql(targetId, activeTabId, sql)
    this.patch(targetId, { replace: { tabId: activeTabId, sql, nonce: this.nonce++ } })
  }

  /** Shows a side panel (or hides it when already shown). */
  togglePanel(targetId: TargetId, panel: Exclude<SidePanel, 'none'>): void {
    const next = this.of(targetId).panel === panel ? 'none' : panel
    this.patch(targetId, { panel: next })
    if (next === 'history') void this.loadHistory(targetId)
  }

  /** Loads history, filtered by `search` (kept for the next refresh). */
  async loadHistory(targetId: TargetId, search = this.of(targetId).historySearch): Promise<void> {
    this.patch(targetId, { historySearch: search })
    try {
      const history = await this.api.listHistory({ targetId, search: search || undefined, limit: 200 })
      if (this.of(targetId).historySearch === search) this.patch(targetId, { history })
    } catch {
      // History is a convenience: a failed refresh keeps the previous list.
    }
  }

  /** Forgets the target's history. */
  async clearHistory(targetId: TargetId): Promise<void> {
    await this.api.clearHistory({ targetId })
    this.patch(targetId, { history: [] })
  }

  /** Saves `sql` under `name` (a new saved query). */
  async saveQuery(targetId: TargetId, name: string, sql: string): Promise<void> {
    try {
      const q = await this.api.saveQuery({ targetId, name, sql })
      const saved = [...this.of(targetId).saved, q].sort((a, b) => a.name.localeCompare(b.name))
      this.patch(targetId, { saved })
      this.ui.toast(`Saved “${q.name}”`)
    } catch (err) {
      this.ui.toast(`Could not save the query: ${errorInfoOf(err).message}`, 'error')
    }
  }

  /** Deletes a saved query. */
  async deleteSaved(targetId: TargetId, id: string): Promise<void> {
    await this.api.deleteSavedQuery({ targetId, id })
    this.patch(targetId, { saved: this.of(targetId).saved.filter((q) => q.id !== id) })
  }

  /** Writes pending tab changes now (e.g. before the page goes away). */
  async flush(targetId: TargetId): Promise<void> {
    const t = this.timers.get(targetId)
    if (t) clearTimeout(t)
    this.timers.delete(targetId)
    const { tabs, activeTabId, loaded } = this.of(targetId)
    if (!loaded) return
    try {
      await this.api.saveEditorTabs({ targetId, tabs, activeTabId })
      if (!this.timers.has(targetId)) this.patch(targetId, { dirty: false })
    } catch (err) {
      this.ui.toast(`Could not save tabs: ${errorInfoOf(err).message}`, 'error')
    }
  }

  private saveSoon(targetId: TargetId, delayMs: number): void {
    const t = this.timers.get(targetId)
    if (t) clearTimeout(t)
    this.patch(targetId, { dirty: true })
    this.timers.set(
      targetId,
      setTimeout(() => {
        this.timers.delete(targetId)
        void this.flush(targetId)
      }, delayMs),
    )
  }

  private patch(targetId: TargetId, patch: Partial<TargetWorkspace>): void {
    this.store.setState((s) => ({
      byTarget: { ...s.byTarget, [targetId]: { ...(s.byTarget[targetId] ?? blank()), ...patch } },
    }))
  }
}

/** The shared blank workspace (stable reference for selectors). */
export const EMPTY_WORKSPACE: TargetWorkspace = blank()
