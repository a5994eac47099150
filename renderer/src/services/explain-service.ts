// EXPLAIN and EXPLAIN ANALYZE of the statement under the cursor, per target, drawn as a tree.
// ANALYZE executes the statement, so it runs inside BEGIN … ROLLBACK: explaining an UPDATE shows
// its real plan and timings without keeping its changes.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { TargetId } from '../../../shared/target-schema'
import { type ExplainedPlan, explainSql, parsePlan } from '../components/explain-plan'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'

export interface ExplainState {
  running: boolean
  analyze: boolean
  statement: string
  plan: ExplainedPlan | null
  error: ErrorInfo | null
}

const newQueryId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `x_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** Renderer service for plans. */
export class ExplainService {
  readonly store = new Store<{ byTarget: Record<string, ExplainState> }>({ byTarget: {} })

  constructor(private readonly api: PortholeApi) {}

  /** Explains `statement` (ANALYZE runs it, then rolls back). */
  async explain(targetId: TargetId, statement: string, analyze: boolean): Promise<void> {
    if (!statement.trim() || this.store.getState().byTarget[targetId]?.running) return
    this.set(targetId, { running: true, analyze, statement, plan: null, error: null })
    const sql = analyze ? `BEGIN;\n${explainSql(statement, true)};\nROLLBACK` : explainSql(statement, false)
    const queryId = newQueryId()
    try {
      const r = await this.api.runQuery({ targetId, queryId, sql, pageSize: 10 })
      const result = r.results.find((x) => x.columns?.[0]?.name === 'QUERY PLAN')
      const cell = result?.rows[0]?.[0]
      if (r.error) this.set(targetId, { running: false, error: r.error })
      else if (!cell)
        this.set(targetId, { running: false, error: { code: 'SQL_ERROR', message: 'No plan came back.' } })
      else this.set(targetId, { running: false, plan: parsePlan(cell) })
    } catch (err) {
      this.set(targetId, { running: false, error: errorInfoOf(err) })
    } finally {
      void this.api.closeQuery({ queryId }).catch(() => undefined)
    }
  }

  /** Hides the plan (back to the results). */
  close(targetId: TargetId): void {
    this.store.setState((s) => {
      const { [targetId]: _gone, ...rest } = s.byTarget
      return { byTarget: rest }
    })
  }

  private set(targetId: TargetId, patch: Partial<ExplainState>): void {
    this.store.setState((s) => {
      const cur = s.byTarget[targetId] ?? {
        running: false,
        analyze: false,
        statement: '',
        plan: null,
        error: null,
      }
      return { byTarget: { ...s.byTarget, [targetId]: { ...cur, ...patch } } }
    })
  }
}
