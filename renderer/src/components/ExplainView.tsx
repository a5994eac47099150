// The plan of the statement under the cursor as an indented tree: per node what it does, estimated
// vs actual rows, loops, inclusive and self time (with a bar for its share of the total), and the
// conditions that explain a slow node. Replaces the results until closed.
import { useState } from 'react'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import type { ExplainState } from '../services/explain-service'
import { ErrorNote } from './ErrorNote'
import type { PlanNode } from './explain-plan'

const ms = (v: number | null): string => (v === null ? '' : v < 10 ? v.toFixed(2) : v.toFixed(1))
const n = (v: number | null): string => (v === null ? '' : Math.round(v).toLocaleString('en-US'))

/** EXPLAIN result panel. */
export function ExplainView({ targetId, state }: { targetId: TargetId; state: ExplainState }) {
  const ctx = useAppContext()
  const plan = state.plan
  const total = plan?.root.totalMs ?? null
  return (
    <div className="explain" data-testid="explain-view">
      <div className="explain-head">
        <strong>{state.analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'}</strong>
        <span className="muted small explain-stmt" title={state.statement}>
          {state.statement.replace(/\s+/g, ' ')}
        </span>
        <span className="spacer" />
        {plan ? (
          <span className="muted small" data-testid="explain-times">
            {plan.planningMs !== null ? `planning ${ms(plan.planningMs)} ms` : ''}
            {plan.executionMs !== null ? ` · execution ${ms(plan.executionMs)} ms` : ''}
            {state.analyze ? ' · changes rolled back' : ''}
          </span>
        ) : null}
        <button
          type="button"
          className="btn btn-small"
          data-testid="close-explain"
          onClick={() => ctx.explain.close(targetId)}
        >
          Back to results
        </button>
      </div>
      {state.running ? <div className="muted pad">Explaining…</div> : null}
      {state.error ? <ErrorNote error={state.error} testId="explain-error" /> : null}
      {plan ? (
        <div className="explain-body">
          <table className="explain-table">
            <thead>
              <tr>
                <th>Node</th>
                <th className="num">Est. rows</th>
                <th className="num">Rows</th>
                <th className="num">Loops</th>
                <th className="num">Time ms</th>
                <th className="num">Self ms</th>
                <th className="explain-bar-col">Share</th>
              </tr>
            </thead>
            <tbody>
              <Rows node={plan.root} depth={0} total={total} />
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  )
}

function Rows({ node, depth, total }: { node: PlanNode; depth: number; total: number | null }) {
  const [open, setOpen] = useState(true)
  const share = total && node.selfMs !== null ? Math.min(1, node.selfMs / total) : null
  const misestimate =
    node.actualRows !== null && node.loops !== null && node.estimatedRows > 0
      ? node.actualRows / node.loops / node.estimatedRows
      : null
  return (
    <>
      <tr data-testid="explain-node" data-depth={depth}>
        <td style={{ paddingLeft: 8 + depth * 18 }}>
          {node.children.length ? (
            <button
              type="button"
              className="icon-btn"
              aria-label={open ? 'Collapse' : 'Expand'}
              onClick={() => setOpen(!open)}
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="explain-leaf">•</span>
          )}
          <span className="explain-label">{node.label}</span>
          {node.details.map((d) => (
            <div key={d} className="explain-detail muted small">
              {d}
            </div>
          ))}
        </td>
        <td className="num">{n(node.estimatedRows)}</td>
        <td
          className={`num${misestimate !== null && (misestimate > 10 || misestimate < 0.1) ? ' explain-off' : ''}`}
          title={misestimate !== null ? `actual/estimate per loop: ${misestimate.toFixed(2)}` : undefined}
        >
          {n(node.actualRows)}
        </td>
        <td className="num">{n(node.loops)}</td>
        <td className="num">{ms(node.totalMs)}</td>
        <td className="num" data-testid="explain-self">
          {ms(node.selfMs)}
        </td>
        <td className="explain-bar-col">
          {share !== null ? (
            <span className="explain-bar" style={{ width: `${Math.max(1, share * 100)}%` }} />
          ) : null}
        </td>
      </tr>
      {open
        ? node.children.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: plan children have no identity but their position
            <Rows key={`${i}:${c.label}`} node={c} depth={depth + 1} total={total} />
          ))
        : null}
    </>
  )
}
