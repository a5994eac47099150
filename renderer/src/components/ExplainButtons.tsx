// Toolbar buttons that explain the statement under the cursor (or the selection).
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'

/** "Explain" and "Explain analyze". */
export function ExplainButtons({ targetId, statement }: { targetId: TargetId; statement: () => string }) {
  const ctx = useAppContext()
  const running = useStoreSelector(ctx.explain.store, (s) => s.byTarget[targetId]?.running ?? false)
  return (
    <>
      <button
        type="button"
        className="btn"
        data-testid="explain"
        disabled={running}
        title="Show the plan of the statement under the cursor (does not run it)"
        onClick={() => void ctx.explain.explain(targetId, statement(), false)}
      >
        Explain
      </button>
      <button
        type="button"
        className="btn"
        data-testid="explain-analyze"
        disabled={running}
        title="Run the statement under the cursor inside a transaction that is rolled back, and show the plan with actual rows and times"
        onClick={() => void ctx.explain.explain(targetId, statement(), true)}
      >
        Explain analyze
      </button>
    </>
  )
}
