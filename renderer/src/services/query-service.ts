// SQL console state per target: the script, the running query, one tab per statement result
// (rows grow as the grid asks for more pages), the error with its script offset, and history.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { Cell, StatementResult } from '../../../shared/ipc/models'
import { STARTER_SQL } from '../../../shared/starter-sql'
import type { TargetId } from '../../../shared/target-schema'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'

export interface ResultTab {
  result: StatementResult
  rows: Cell[][]
  hasMore: boolean
  fetching: boolean
}

export interface ConsoleState {
  sql: string
  queryId: string | null
  running: boolean
  cancelling: boolean
  tabs: ResultTab[]
  activeTab: number
  error: ErrorInfo | null
  /** Offset of the text that was sent within the editor (selection runs), for error marks. */
  sentOffset: number
  durationMs: number | null
  history: { sql: string; at: number; ok: boolean }[]
  /** Server notices and engine messages of the last run (the Messages view). */
  notices: string[]
  /** The text the last run sent (to find a statement again for "run alone"). */
  sentSql: string
}

/** `activeTab` value that shows the Messages view instead of a result. */
export const MESSAGES_TAB = -1

export interface QueryState {
  consoles: Record<string, ConsoleState>
}

/** Rows per page asked of the engine. */
export const QUERY_PAGE = 500

/** The state of a console nobody has typed into yet. */
export const EMPTY_CONSOLE: ConsoleState = {
  sql: STARTER_SQL,
  queryId: null,
  running: false,
  cancelling: false,
  tabs: [],
  activeTab: 0,
  error: null,
  sentOffset: 0,
  durationMs: null,
  history: [],
  notices: [],
  sentSql: '',
}

function newQueryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `q_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** Renderer service for queries. */
export class QueryService {
  readonly store = new Store<QueryState>({ consoles: {} })

  constructor(private readonly api: PortholeApi) {}

  /** The console of a target (the shared empty one if none yet). */
  console(targetId: TargetId): ConsoleState {
    return this.store.getState().consoles[targetId] ?? EMPTY_CONSOLE
  }

  /** Keeps the editor text so switching targets does not lose it. */
  setSql(targetId: TargetId, sql: string): void {
    this.patch(targetId, { sql })
  }

  /** Selects a result tab. */
  setActiveTab(targetId: TargetId, activeTab: number): void {
    this.patch(targetId, { activeTab })
  }

  /** Runs `sql` (all or a selection starting at `offset` in the editor). */
  async run(targetId: TargetId, sql: string, offset: number): Promise<void> {
    const cur = this.console(targetId)
    if (cur.running || !sql.trim()) return
    if (cur.queryId) void this.api.closeQuery({ queryId: cur.queryId }).catch(() => undefined)
    const queryId = newQueryId()
    this.patch(targetId, {
      queryId,
      running: true,
      cancelling: false,
      error: null,
      sentOffset: offset,
      sentSql: sql,
      durationMs: null,
    })
    try {
      const r = await this.api.runQuery({ targetId, queryId, sql, pageSize: QUERY_PAGE })
      const tabs = r.results.map((result) => ({
        result,
        rows: result.rows,
        hasMore: result.hasMore,
        fetching: false,
      }))
      // Show the first result; with none, the Messages view (notices, the error, command tags).
      const activeTab = tabs.length ? 0 : MESSAGES_TAB
      this.patch(targetId, { tabs, activeTab, error: r.error, durationMs: r.durationMs, notices: r.notices })
    } catch (err) {
      this.patch(targetId, { tabs: [], error: errorInfoOf(err), notices: [] })
    } finally {
      this.patch(targetId, { running: false, cancelling: false })
      void this.loadHistory(targetId)
    }
  }

  /** Cancels the running query on the server. */
  async cancel(targetId: TargetId): Promise<void> {
    const { queryId, running } = this.console(targetId)
    if (!queryId || !running) return
    this.patch(targetId, { cancelling: true })
    await this.api.cancelQuery({ queryId }).catch(() => undefined)
  }

  /** Fetches the next page of a tab if it has more and is not already fetching. */
  async fetchMore(targetId: TargetId, tabIndex: number): Promise<void> {
    const { queryId, tabs } = this.console(targetId)
    const tab = tabs[tabIndex]
    if (!queryId || !tab?.hasMore || tab.fetching) return
    this.patchTab(targetId, queryId, tabIndex, { fetching: true })
    try {
      const page = await this.api.fetchRows({ queryId, resultIndex: tab.result.index, count: QUERY_PAGE })
      this.patchTab(targetId, queryId, tabIndex, (t) => ({
        rows: t.rows.concat(page.rows),
        hasMore: page.hasMore,
        fetching: false,
      }))
    } catch (err) {
      this.patchTab(targetId, queryId, tabIndex, { fetching: false, hasMore: false })
      this.patch(targetId, { error: errorInfoOf(err) })
    }
  }

  /** Runs the statement of a result tab on its own (its result was cut in a multi-statement run). */
  async runAlone(targetId: TargetId, tabIndex: number): Promise<void> {
    const c = this.console(targetId)
    const tab = c.tabs[tabIndex]
    if (!tab) return
    const at = c.sentSql.indexOf(tab.result.statement)
    await this.run(targetId, tab.result.statement, c.sentOffset + Math.max(0, at))
  }

  /**
   * Writes the held result of a tab to a file the engine picks (never runs SQL again). Resolves
   * with the engine's outcome; `path` is null when the user cancelled the save dialog.
   */
  async exportResult(targetId: TargetId, tabIndex: number, format: 'csv' | 'json') {
    const { queryId, tabs } = this.console(targetId)
    const tab = tabs[tabIndex]
    if (!queryId || !tab) throw new Error('No result to export')
    return this.api.exportResult({ targetId, queryId, resultIndex: tab.result.index, format })
  }

  /** Loads the target's query history (newest first). */
  async loadHistory(targetId: TargetId): Promise<void> {
    try {
      this.patch(targetId, { history: await this.api.listHistory({ targetId }) })
    } catch {
      // History is a convenience; a failure leaves the old list.
    }
  }

  private patch(targetId: TargetId, patch: Partial<ConsoleState>): void {
    this.store.setState((s) => ({
      consoles: { ...s.consoles, [targetId]: { ...(s.consoles[targetId] ?? EMPTY_CONSOLE), ...patch } },
    }))
  }

  private patchTab(
    targetId: TargetId,
    queryId: string,
    index: number,
    patch: Partial<ResultTab> | ((t: ResultTab) => Partial<ResultTab>),
  ): void {
    const c = this.console(targetId)
    if (c.queryId !== queryId || !c.tabs[index]) return // a newer run replaced these tabs
    const tabs = c.tabs.slice()
    tabs[index] = { ...tabs[index]!, ...(typeof patch === 'function' ? patch(tabs[index]!) : patch) }
    this.patch(targetId, { tabs })
  }
}
