// Runs SQL scripts: statements in order on one dedicated client, each through a cursor that reads a
// page; the script's final statement keeps its cursor (and client) for fetchRows, so the engine
// never holds more than one page per open query. Cancel uses pg_cancel_backend on another client.
import type pg from 'pg'
import Cursor from 'pg-cursor'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { Column, QueryEvent, QueryResult, RowsPage, StatementResult } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { readPage } from './cursor-read'
import { textTypes, toCells } from './display'
import { mapSqlError } from './pg-errors'
import type { TargetPools } from './pool-registry'
import { codePointLength, splitSql } from './sql-splitter'
import { describeColumns } from './type-names'

interface OpenQuery {
  queryId: string
  targetId: TargetId
  pools: TargetPools
  client: pg.PoolClient
  pid: number
  cursor: Cursor<unknown[]> | null
  resultIndex: number
  columns: Column[]
  rowCount: number
  running: boolean
  cancelled: boolean
  released: boolean
}

export interface QueryRunnerOptions {
  logger: Logger
  onEvent?: (event: QueryEvent) => void
  /** statement_timeout for scripts in ms; 0 = none. */
  statementTimeoutMs?: number
  historySize?: number
}

const MAX_PAGE = 10_000

/** Creates the query engine shared by all targets. */
export function createQueryRunner(options: QueryRunnerOptions) {
  const open = new Map<string, OpenQuery>()
  // Queries still waiting for a connection; true once the user cancelled them meanwhile.
  const starting = new Map<string, boolean>()
  const history = new Map<TargetId, Array<{ sql: string; at: number; ok: boolean }>>()
  const log = options.logger.child('db.query')
  const emit = (event: QueryEvent) => options.onEvent?.(event)
  const historySize = options.historySize ?? 200

  const remember = (targetId: TargetId, sql: string, ok: boolean) => {
    const list = history.get(targetId) ?? []
    list.unshift({ sql, at: Date.now(), ok })
    if (list.length > historySize) list.length = historySize
    history.set(targetId, list)
  }

  /** Returns the client to the pool, rolling back a transaction the script left open. */
  const finish = async (q: OpenQuery, notices?: string[]) => {
    open.delete(q.queryId)
    if (q.released) return
    q.released = true
    try {
      if (q.cursor) await q.cursor.close()
      q.cursor = null
      if (q.client.getTransactionStatus() !== 'I') {
        await q.client.query('ROLLBACK')
        notices?.push('The script left a transaction open; it was rolled back (runs use pooled connections).')
      }
      q.client.removeAllListeners('notice')
      q.client.release()
    } catch (err) {
      q.client.release(err instanceof Error ? err : true)
    }
  }

  /** Drops a query's connection outright (target closing): a running statement dies with it. */
  const destroy = (q: OpenQuery) => {
    open.delete(q.queryId)
    if (q.released) return
    q.released = true
    q.client.release(true)
  }

  const pageSizeOf = (n: number) => Math.max(1, Math.min(MAX_PAGE, Math.floor(n) || 1))

  return {
    /** Runs a script; rejects only when no connection could be made (statement errors are data). */
    async runQuery(
      pools: TargetPools,
      input: { queryId: string; sql: string; pageSize: number; statementTimeoutMs?: number },
    ): Promise<QueryResult> {
      const started = Date.now()
      const targetId = pools.target.id
      if (open.has(input.queryId) || starting.has(input.queryId))
        throw PortholeError.of('CONFLICT', `Query ${input.queryId} is already open.`)
      const statements = splitSql(input.sql)
      const pageSize = pageSizeOf(input.pageSize)
      starting.set(input.queryId, false)
      let client: pg.PoolClient
      let cancelledEarly = false
      try {
        client = await pools.connect('query')
      } finally {
        cancelledEarly = starting.get(input.queryId) === true
        starting.delete(input.queryId)
      }
      const q: OpenQuery = {
        queryId: input.queryId,
        targetId,
        pools,
        client,
        pid: (client as unknown as { processID: number }).processID,
        cursor: null,
        resultIndex: -1,
        columns: [],
        rowCount: 0,
        running: true,
        cancelled: cancelledEarly,
        released: false,
      }
      open.set(q.queryId, q)
      const notices: string[] = []
      client.on('notice', (n: { severity?: string; message?: string }) => {
        const text = `${n.severity ?? 'NOTICE'}: ${n.message}`
        notices.push(text)
        emit({ queryId: q.queryId, kind: 'notice', message: text })
      })
      emit({ queryId: q.queryId, kind: 'started' })
      const results: StatementResult[] = []
      let error: QueryResult['error'] = null
      try {
        const timeout = Math.max(0, Math.floor(input.statementTimeoutMs ?? options.statementTimeoutMs ?? 0))
        await client.query(`SET statement_timeout = ${timeout}`)
        for (const [i, stmt] of statements.entries()) {
          // A cancel that landed between two statements must still stop the script.
          if (q.cancelled) {
            error = toErrorInfo(PortholeError.of('QUERY_CANCELLED', 'The query was cancelled.'))
            break
          }
          const t0 = Date.now()
          const cursor = client.query(
            new Cursor<unknown[]>(stmt.text, undefined, { rowMode: 'array', types: textTypes }),
          )
          q.cursor = cursor
          let page: Awaited<ReturnType<typeof readPage>>
          try {
            page = await readPage(cursor, pageSize)
          } catch (err) {
            q.cursor = null
            const offset = codePointLength(input.sql.slice(0, stmt.start))
            error = toErrorInfo(mapSqlError(err, offset, q.cancelled))
            break
          }
          const columns = page.fields.length ? await describeColumns(pools, page.fields) : null
          const last = i === statements.length - 1
          let hasMore = page.hasMore
          if (hasMore && !last) {
            await cursor.close()
            hasMore = false
            notices.push(
              `Statement ${i + 1} returned more than ${pageSize} rows; only the first page is kept because later statements ran on the same connection.`,
            )
          }
          if (!hasMore) q.cursor = null
          const keyword = /^[A-Za-z]+/.exec(stmt.text)?.[0]?.toUpperCase() ?? null
          results.push({
            index: i,
            statement: stmt.text,
            command: page.command ?? keyword,
            rowCount: columns ? page.rows.length : page.rowCount,
            columns,
            rows: columns ? page.rows.map((r) => toCells(r, columns)) : [],
            hasMore,
            durationMs: Date.now() - t0,
          })
          if (hasMore) {
            q.resultIndex = i
            q.columns = columns ?? []
            q.rowCount = page.rows.length
          }
        }
      } catch (err) {
        error = toErrorInfo(mapSqlError(err, 0, q.cancelled))
      }
      q.running = false
      if (!q.cursor) await finish(q, notices)
      remember(targetId, input.sql, !error)
      const kind = error ? (error.code === 'QUERY_CANCELLED' ? 'cancelled' : 'failed') : 'finished'
      emit({ queryId: q.queryId, kind, message: error?.message })
      if (error) log.debug(`query ${q.queryId} ended with ${error.code}`, targetId)
      return { queryId: q.queryId, results, notices, error, durationMs: Date.now() - started }
    },

    /** Reads the next `count` rows of the open result; closes the query after the last row. */
    async fetchRows(queryId: string, resultIndex: number, count: number): Promise<RowsPage> {
      const q = open.get(queryId)
      if (!q?.cursor || q.resultIndex !== resultIndex)
        throw PortholeError.of('NOT_FOUND', `No open result ${resultIndex} for query ${queryId}.`)
      if (q.running) throw PortholeError.of('CONFLICT', `Query ${queryId} is still reading.`)
      q.running = true
      try {
        const page = await readPage(q.cursor, pageSizeOf(count))
        q.rowCount += page.rows.length
        const rows = page.rows.map((r) => toCells(r, q.columns))
        q.running = false
        if (!page.hasMore) {
          q.cursor = null
          await finish(q)
        }
        return { rows, hasMore: page.hasMore }
      } catch (err) {
        q.running = false
        q.cursor = null
        await finish(q)
        throw mapSqlError(err, 0, q.cancelled)
      }
    },

    /** Stops the server-side statement of a running query (pg_cancel_backend); closes an idle one. */
    async cancelQuery(queryId: string): Promise<boolean> {
      if (starting.has(queryId)) {
        starting.set(queryId, true)
        return true
      }
      const q = open.get(queryId)
      if (!q) return false
      q.cancelled = true
      if (!q.running) {
        await finish(q)
        emit({ queryId, kind: 'cancelled' })
        return true
      }
      const ctl = await q.pools.connect('util')
      try {
        const res = await ctl.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [q.pid])
        return res.rows[0]?.ok === true
      } finally {
        ctl.release()
      }
    },

    /** Releases the cursor and client of a query. */
    async closeQuery(queryId: string): Promise<boolean> {
      const q = open.get(queryId)
      if (!q || q.running) return false
      await finish(q)
      return true
    },

    /** Whether the query is running or holds an open cursor. */
    has(queryId: string): boolean {
      return open.has(queryId) || starting.has(queryId)
    },

    listHistory(targetId: TargetId) {
      return [...(history.get(targetId) ?? [])]
    },

    /** Closes every open query of a target (before its pools end). */
    async closeTarget(targetId: TargetId): Promise<void> {
      for (const q of [...open.values()]) if (q.targetId === targetId) destroy(q)
    },

    async closeAll(): Promise<void> {
      for (const q of [...open.values()]) destroy(q)
    },
  }
}

export type QueryRunner = ReturnType<typeof createQueryRunner>
