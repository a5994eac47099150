// The SQL console's persistence in one bundle for the engine: workspaces (tabs, saved queries),
// history and UI settings, all under the app data dir.
import type { QueryResult } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { createHistoryStore, type HistoryStore } from './history-store'
import { createUiSettingsStore, type UiSettingsStore } from './ui-settings-store'
import { createWorkspaceStore, type WorkspaceStore } from './workspace-store'

export interface ConsoleStores {
  workspace: WorkspaceStore
  history: HistoryStore
  settings: UiSettingsStore
  /** Runs a query and appends its outcome to the history, whatever it was. */
  recordRun(targetId: TargetId, sql: string, run: () => Promise<QueryResult>): Promise<QueryResult>
}

/** Opens the console stores under `dir`. */
export function openConsoleStores(options: {
  dir: string
  logger?: Logger
  historyMaxBytes?: number
}): ConsoleStores {
  const workspace = createWorkspaceStore(options)
  const history = createHistoryStore({ dir: options.dir, maxBytes: options.historyMaxBytes })
  const settings = createUiSettingsStore(options)
  const warn = (err: unknown) => options.logger?.warn(`could not write query history: ${String(err)}`)
  return {
    workspace,
    history,
    settings,
    async recordRun(targetId, sql, run) {
      const at = Date.now()
      try {
        const r = await run()
        const counted = r.results.filter((x) => x.rowCount !== null)
        void history
          .append(targetId, {
            sql,
            at,
            ok: r.error === null,
            durationMs: r.durationMs,
            rowCount: counted.length ? counted.reduce((n, x) => n + (x.rowCount ?? 0), 0) : null,
            more: r.results.some((x) => x.hasMore),
            ...(r.error ? { error: r.error.message } : {}),
          })
          .catch(warn)
        return r
      } catch (err) {
        void history
          .append(targetId, {
            sql,
            at,
            ok: false,
            durationMs: Date.now() - at,
            error: (err as Error).message,
          })
          .catch(warn)
        throw err
      }
    },
  }
}
