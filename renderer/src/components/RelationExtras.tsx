// Below a relation's columns: its indexes, constraints and DDL (as PostgreSQL renders them), and
// an exact row count on demand next to the estimate.
import { useEffect, useState } from 'react'
import type { TableDetails } from '../../../shared/ipc/models'
import { useAppContext } from '../hooks/useAppContext'
import { errorInfoOf } from '../services/errors'

type Pane = 'indexes' | 'constraints' | 'ddl'

/** Exact count button + indexes/constraints/DDL panes of one relation. */
export function RelationExtras({ details }: { details: TableDetails }) {
  const ctx = useAppContext()
  const [pane, setPane] = useState<Pane>('indexes')
  const [count, setCount] = useState<{ state: 'idle' | 'counting' | 'done' | 'failed'; text: string }>({
    state: 'idle',
    text: '',
  })
  const ref = `${details.schema}.${details.name}`
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new relation resets the count
  useEffect(() => setCount({ state: 'idle', text: '' }), [ref])
  const runCount = async (): Promise<void> => {
    setCount({ state: 'counting', text: 'Counting…' })
    try {
      const r = await ctx.browser.countRows({ schema: details.schema, name: details.name })
      setCount({
        state: 'done',
        text: `${r.count.toLocaleString('en-US')} rows exactly (counted in ${Math.round(r.durationMs).toLocaleString('en-US')} ms)`,
      })
    } catch (err) {
      setCount({ state: 'failed', text: `Count failed: ${errorInfoOf(err).message}` })
    }
  }
  const panes: Array<[Pane, string, number | null]> = [
    ['indexes', 'Indexes', details.indexes.length],
    ['constraints', 'Constraints', details.constraints?.length ?? null],
    ['ddl', 'DDL', null],
  ]
  return (
    <div className="relation-extras">
      <div className="exact-count">
        <button
          type="button"
          className="btn btn-small"
          data-testid="count-rows"
          disabled={count.state === 'counting'}
          title="Runs SELECT count(*) (a full scan on big tables)"
          onClick={() => void runCount()}
        >
          Exact count
        </button>
        <span className={count.state === 'failed' ? 'small danger' : 'small'} data-testid="exact-count">
          {count.text}
        </span>
      </div>
      <div className="extras-tabs" role="tablist" aria-label="Relation details">
        {panes.map(([id, label, n]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={pane === id}
            className={pane === id ? 'tab active' : 'tab'}
            data-testid={`extras-${id}`}
            onClick={() => setPane(id)}
          >
            {label}
            {n !== null ? <span className="muted small"> {n}</span> : null}
          </button>
        ))}
      </div>
      {pane === 'indexes' ? (
        <ul className="extras-list" data-testid="index-list">
          {details.indexes.length === 0 ? <li className="muted">No indexes.</li> : null}
          {details.indexes.map((i) => (
            <li key={i.name}>
              <strong>{i.name}</strong>{' '}
              {i.primary ? <span className="key-pk">PK</span> : i.unique ? 'unique' : ''}
              <div className="mono small">{i.definition}</div>
            </li>
          ))}
        </ul>
      ) : null}
      {pane === 'constraints' ? (
        <ul className="extras-list" data-testid="constraint-list">
          {!details.constraints?.length ? <li className="muted">No constraints reported.</li> : null}
          {details.constraints?.map((c) => (
            <li key={c.name}>
              <strong>{c.name}</strong> <span className="muted small">{c.kind.replace('_', ' ')}</span>
              <div className="mono small">{c.definition}</div>
            </li>
          ))}
        </ul>
      ) : null}
      {pane === 'ddl' ? (
        <div className="ddl-pane">
          <button
            type="button"
            className="btn btn-small"
            disabled={!details.ddl}
            onClick={() =>
              void navigator.clipboard?.writeText(details.ddl ?? '').then(
                () => ctx.ui.toast('DDL copied'),
                () => ctx.ui.toast('Clipboard is not available', 'error'),
              )
            }
          >
            Copy DDL
          </button>
          <pre className="ddl" data-testid="ddl">
            {details.ddl ?? 'This engine does not report DDL.'}
          </pre>
        </div>
      ) : null}
    </div>
  )
}
