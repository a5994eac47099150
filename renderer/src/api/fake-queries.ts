// Schema browsing and queries for the fake API: cursors page through generated rows, pg_sleep can
// be cancelled, and SQL errors come back in `error` with a script position, as the engine does.
import { PortholeError } from '../../../shared/errors'
import type { EventName, EventPayload, PortholeHandlers } from '../../../shared/ipc/contract'
import type { Cell, StatementResult } from '../../../shared/ipc/models'
import type { HistoryEntry } from '../../../shared/ipc/workspace-models'
import type { TargetId } from '../../../shared/target-schema'
import { createFakeCatalogue, displayColumns, relationRows } from './fake-database'
import { planStatement, splitScript } from './fake-sql'

type Handlers = Pick<
  PortholeHandlers,
  | 'listSchema'
  | 'describeTable'
  | 'previewTable'
  | 'runQuery'
  | 'fetchRows'
  | 'cancelQuery'
  | 'closeQuery'
  | 'exportResult'
  | 'listHistory'
  | 'clearHistory'
  | 'countRows'
>
type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void

interface Cursor {
  next: number
  total: number
  rowAt: (i: number) => Cell[]
}

/** Creates the query side of the fake; `requireOpen` throws TUNNEL_NOT_OPEN. */
export function createFakeQueries(
  requireOpen: (id: TargetId) => unknown,
  emit: Emit,
  stepMs: number,
): Handlers {
  const catalogue = createFakeCatalogue()
  const cursors = new Map<string, Cursor>()
  const running = new Map<string, () => void>()
  const history = new Map<string, HistoryEntry[]>()

  const relation = (schema: string, name: string) => {
    const rel = catalogue.find((r) => r.schema === schema && r.name === name)
    if (!rel) throw PortholeError.of('NOT_FOUND', `Relation ${schema}.${name} does not exist`)
    return rel
  }
  const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
  const page = (c: Cursor, count: number): Cell[][] => {
    const rows: Cell[][] = []
    for (; c.next < c.total && rows.length < count; c.next++) rows.push(c.rowAt(c.next))
    return rows
  }

  /** Resolves true after `seconds`, or false as soon as the query is cancelled. */
  const sleepUnlessCancelled = (queryId: string, seconds: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        running.delete(queryId)
        resolve(true)
      }, seconds * 1000)
      running.set(queryId, () => {
        clearTimeout(timer)
        running.delete(queryId)
        resolve(false)
      })
    })

  return {
    listSchema: async ({ targetId }) => {
      requireOpen(targetId)
      await delay(stepMs)
      const names = [...new Set(catalogue.map((r) => r.schema))]
      return {
        schemas: names.map((name) => ({
          name,
          relations: catalogue
            .filter((r) => r.schema === name)
            .map((r) => ({
              name: r.name,
              kind: r.kind,
              estimatedRows: r.kind === 'view' ? null : r.rows,
              columns: r.columns.map((c) => c.name),
            })),
        })),
      }
    },
    describeTable: async ({ targetId, schema, name }) => {
      requireOpen(targetId)
      const rel = relation(schema, name)
      const pk = rel.columns.filter((c) => c.primaryKey).map((c) => c.name)
      return {
        schema,
        name,
        kind: rel.kind,
        estimatedRows: rel.kind === 'view' ? null : rel.rows,
        columns: rel.columns.map(({ kind: _k, ...c }) => c),
        indexes: pk.length
          ? [
              {
                name: `${name}_pkey`,
                definition: `CREATE UNIQUE INDEX ${name}_pkey ON ${schema}.${name} USING btree (${pk.join(', ')})`,
                unique: true,
                primary: true,
              },
            ]
          : [],
        constraints: pk.length
          ? [
              {
                name: `${name}_pkey`,
                kind: 'primary_key' as const,
                definition: `PRIMARY KEY (${pk.join(', ')})`,
              },
            ]
          : [],
        ddl: `CREATE TABLE ${schema}.${name} (\n${rel.columns
          .map((c) => `  ${c.name} ${c.typeName}${c.nullable ? '' : ' NOT NULL'}`)
          .join(',\n')}${pk.length ? `,\n  CONSTRAINT ${name}_pkey PRIMARY KEY (${pk.join(', ')})` : ''}\n);`,
      }
    },
    countRows: async ({ targetId, schema, name }) => {
      requireOpen(targetId)
      await delay(stepMs)
      return { count: relation(schema, name).rows, durationMs: stepMs }
    },
    previewTable: async ({ targetId, schema, name, offset, limit }) => {
      requireOpen(targetId)
      await delay(stepMs)
      const rel = relation(schema, name)
      return {
        columns: displayColumns(rel),
        rows: relationRows(rel, offset, offset + limit),
        offset,
        hasMore: offset + limit < rel.rows,
      }
    },
    runQuery: async ({ targetId, queryId, sql, pageSize }) => {
      requireOpen(targetId)
      const started = Date.now()
      emit('onQueryEvent', { queryId, kind: 'started' })
      const results: StatementResult[] = []
      let error: PortholeError['info'] | null = null
      for (const [index, stmt] of splitScript(sql).entries()) {
        const t0 = Date.now()
        const plan = planStatement(stmt, catalogue)
        if (plan.kind === 'error') {
          error = {
            code: 'SQL_ERROR',
            message: plan.message,
            sql: { sqlstate: plan.sqlstate, position: plan.position },
          }
          break
        }
        if (plan.kind === 'sleep' && !(await sleepUnlessCancelled(queryId, plan.seconds))) {
          error = {
            code: 'QUERY_CANCELLED',
            message: 'canceling statement due to user request',
            sql: { sqlstate: '57014' },
          }
          break
        }
        await delay(stepMs)
        const base = { index, statement: stmt.text, durationMs: 0 }
        if (plan.kind === 'rows') {
          const cursor: Cursor = { next: 0, total: plan.total, rowAt: plan.rowAt }
          const rows = page(cursor, pageSize)
          const hasMore = cursor.next < cursor.total
          if (hasMore) cursors.set(`${queryId}:${index}`, cursor)
          results.push({
            ...base,
            command: 'SELECT',
            rowCount: rows.length,
            columns: plan.columns,
            rows,
            hasMore,
            durationMs: Date.now() - t0,
          })
        } else if (plan.kind === 'sleep') {
          const columns = [{ name: 'pg_sleep', typeName: 'void', kind: 'other' as const }]
          results.push({
            ...base,
            command: 'SELECT',
            rowCount: 1,
            columns,
            rows: [['']],
            hasMore: false,
            durationMs: Date.now() - t0,
          })
        } else {
          results.push({
            ...base,
            command: plan.command,
            rowCount: plan.rowCount,
            columns: null,
            rows: [],
            hasMore: false,
            durationMs: Date.now() - t0,
          })
        }
      }
      const list = history.get(targetId) ?? []
      const rowCount = results.reduce((n, x) => n + (x.rowCount ?? 0), 0)
      const entry: HistoryEntry = { sql, at: started, ok: !error, durationMs: Date.now() - started, rowCount }
      if (error) entry.error = error.message
      history.set(targetId, [entry, ...list].slice(0, 200))
      const kind = !error ? 'finished' : error.code === 'QUERY_CANCELLED' ? 'cancelled' : 'failed'
      emit('onQueryEvent', { queryId, kind, message: error?.message })
      return { queryId, results, notices: [], error, durationMs: Date.now() - started }
    },
    fetchRows: async ({ queryId, resultIndex, count }) => {
      const key = `${queryId}:${resultIndex}`
      const cursor = cursors.get(key)
      if (!cursor) throw PortholeError.of('NOT_FOUND', 'That result has no open cursor any more')
      await delay(stepMs)
      const rows = page(cursor, count)
      const hasMore = cursor.next < cursor.total
      if (!hasMore) cursors.delete(key)
      return { rows, hasMore }
    },
    cancelQuery: async ({ queryId }) => {
      const cancel = running.get(queryId)
      cancel?.()
      return { cancelled: Boolean(cancel) }
    },
    closeQuery: async ({ queryId }) => {
      let closed = false
      for (const key of [...cursors.keys()]) {
        if (key.startsWith(`${queryId}:`)) closed = cursors.delete(key)
      }
      return { closed }
    },
    exportResult: async ({ targetId, sql, format, path }) => {
      requireOpen(targetId)
      const stmt = splitScript(sql)[0]
      const plan = stmt ? planStatement(stmt, catalogue) : null
      if (!plan || plan.kind === 'error' || plan.kind === 'sleep') {
        throw PortholeError.of('SQL_ERROR', plan?.kind === 'error' ? plan.message : 'Nothing to export')
      }
      await delay(stepMs * 2)
      return {
        path: path ?? `~/Downloads/porthole-export.${format}`,
        rows: plan.kind === 'rows' ? plan.total : 0,
      }
    },
    listHistory: async ({ targetId, search, limit }) => {
      const needle = search?.trim().toLowerCase() ?? ''
      return (history.get(targetId) ?? []).filter((e) => e.sql.toLowerCase().includes(needle)).slice(0, limit)
    },
    clearHistory: async ({ targetId }) => ({ cleared: history.delete(targetId) || true }),
  }
}
