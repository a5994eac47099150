// Table browser: schema tree on the left; the chosen relation's columns, keys, indexes,
// constraints, DDL, exact count on demand and a paged row preview on the right.
import { useState } from 'react'
import type { SchemaTree } from '../../../shared/ipc/models'
import { formatCount } from '../format'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { PREVIEW_PAGE } from '../services/browser-service'
import { ErrorNote } from './ErrorNote'
import { RelationExtras } from './RelationExtras'
import { ResultGrid } from './ResultGrid'

const KIND_ICON: Record<string, string> = {
  table: '▦',
  view: '◇',
  materialized_view: '◆',
  foreign_table: '⇄',
  partitioned_table: '▤',
}

/** The browse view for the selected, connected target. */
export function TableBrowser() {
  const ctx = useAppContext()
  const s = useStoreSelector(ctx.browser.store, (st) => st)
  return (
    <div className="browser">
      <aside className="schema-tree" aria-label="Schema" data-testid="schema-tree">
        {s.treeLoading ? <div className="muted pad">Loading schema…</div> : null}
        {s.treeError ? <ErrorNote error={s.treeError} /> : null}
        {s.tree ? <Tree tree={s.tree} /> : null}
      </aside>
      <section className="relation">
        {!s.relation ? (
          <div className="empty-hint">Choose a table or view to see its columns and rows.</div>
        ) : null}
        {s.relationError ? <ErrorNote error={s.relationError} /> : null}
        {s.details ? (
          <div className="details" data-testid="table-details">
            <h2 className="rel-title">
              {s.details.schema}.{s.details.name}
              <span className="muted small">
                {' '}
                {s.details.kind.replace('_', ' ')} ·{' '}
                {s.details.estimatedRows === null
                  ? 'row estimate not available yet (never analyzed)'
                  : `~${formatCount(s.details.estimatedRows)} rows`}
              </span>
            </h2>
            <table className="columns-table">
              <thead>
                <tr>
                  <th>Column</th>
                  <th>Type</th>
                  <th>Null</th>
                  <th>Default</th>
                  <th>Key</th>
                </tr>
              </thead>
              <tbody>
                {s.details.columns.map((c) => (
                  <tr key={c.name} data-testid="column-row">
                    <td>{c.name}</td>
                    <td className="mono">{c.typeName}</td>
                    <td>{c.nullable ? 'yes' : 'no'}</td>
                    <td className="mono">{c.default ?? ''}</td>
                    <td>
                      {c.primaryKey ? <span className="key-pk">PK</span> : null}
                      {c.references ? <span className="key-fk">FK → {c.references}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <RelationExtras details={s.details} />
          </div>
        ) : null}
        {s.relation ? (
          <div className="preview" data-testid="table-preview">
            <div className="pager">
              <button
                type="button"
                className="btn btn-small"
                data-testid="prev-page"
                disabled={!s.preview || s.preview.offset === 0 || s.previewLoading}
                onClick={() => void ctx.browser.page(Math.max(0, (s.preview?.offset ?? 0) - PREVIEW_PAGE))}
              >
                ‹ Prev
              </button>
              <span className="small" data-testid="page-info">
                {s.preview
                  ? `Rows ${formatCount(s.preview.offset + 1)}–${formatCount(s.preview.offset + s.preview.rows.length)}`
                  : 'Loading…'}
              </span>
              <button
                type="button"
                className="btn btn-small"
                data-testid="next-page"
                disabled={!s.preview?.hasMore || s.previewLoading}
                onClick={() => void ctx.browser.page((s.preview?.offset ?? 0) + PREVIEW_PAGE)}
              >
                Next ›
              </button>
              {s.previewLoading ? <span className="spinner" role="status" aria-label="Loading" /> : null}
            </div>
            {s.preview ? (
              <ResultGrid
                columns={s.preview.columns}
                rows={s.preview.rows}
                hasMore={false}
                fetching={false}
                testId="preview-grid"
              />
            ) : null}
          </div>
        ) : null}
      </section>
    </div>
  )
}

function Tree({ tree }: { tree: SchemaTree }) {
  const ctx = useAppContext()
  const current = useStoreSelector(ctx.browser.store, (st) => st.relation)
  const [closed, setClosed] = useState<Record<string, boolean>>({})
  return (
    <ul className="tree">
      {tree.schemas.map((schema) => (
        <li key={schema.name}>
          <button
            type="button"
            className="tree-schema"
            onClick={() => setClosed((c) => ({ ...c, [schema.name]: !c[schema.name] }))}
          >
            <span aria-hidden="true">{closed[schema.name] ? '▸' : '▾'}</span> {schema.name}
            <span className="muted small"> {schema.relations.length}</span>
          </button>
          {closed[schema.name] ? null : (
            <ul>
              {schema.relations.map((rel) => {
                const active = current?.schema === schema.name && current.name === rel.name
                return (
                  <li key={rel.name}>
                    <button
                      type="button"
                      className={active ? 'tree-rel active' : 'tree-rel'}
                      aria-current={active ? 'true' : undefined}
                      data-testid="relation"
                      data-relation={`${schema.name}.${rel.name}`}
                      title={`${rel.kind.replace('_', ' ')} ${schema.name}.${rel.name}`}
                      onClick={() => void ctx.browser.open({ schema: schema.name, name: rel.name })}
                    >
                      <span className={`kind-icon kind-${rel.kind}`} role="img" aria-label={rel.kind}>
                        {KIND_ICON[rel.kind] ?? '▦'}
                      </span>
                      <span className="rel-name">{rel.name}</span>
                      <span className="muted small rel-rows">
                        {rel.estimatedRows === null ? '' : formatCount(rel.estimatedRows)}
                      </span>
                    </button>
                  </li>
                )
              })}
            </ul>
          )}
        </li>
      ))}
    </ul>
  )
}
