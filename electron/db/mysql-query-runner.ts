// Runs SQL scripts on MySQL/MariaDB with the PostgreSQL runner's console semantics (query-runner.ts):
// statements in order on one pooled connection, a page per result, the final result kept open for
// fetchRows (streamed with backpressure, never loaded whole), statement errors as data, cancel from a
// second connection (KILL QUERY <thread id>), an open transaction rolled back before the connection
// goes back to the pool. A statement may return several result sets (CALL): each becomes a result.
import type mysql from 'mysql2'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { Column, QueryEvent, QueryResult, RowsPage, StatementResult } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { describeMySqlColumns, mysqlCells } from './mysql-columns'
import { MySqlCursor } from './mysql-cursor'
import { mapMySqlSqlError } from './mysql-errors'
import type { MySqlTargetPools } from './mysql-pools'
import { MySqlResultStream } from './mysql-result-stream'
import { splitMySql } from './mysql-sql-splitter'

interface OpenQuery {
  queryId: string
  targetId: TargetId
  pools: MySqlTargetPools
  conn: mysql.PoolConnection
  stream: MySqlResultStream | null
  cursor: MySqlCursor | null
  resultIndex: number
  columns: Column[]
  running: boolean
  cancelled: boolean
  released: boolean
  inTransaction: boolean
}

export interface MySqlQueryRunnerOptions {
  logger: Logger
  onEvent?: (event: QueryEvent) => void
  statementTimeoutMs?: number
  historySize?: number
}

const MAX_PAGE = 10_000
const SERVER_STATUS_IN_TRANS = 0x1
// Statements that return rows and can be served by a server-side cursor.
const ROW_STATEMENT = /^(SELECT|WITH|VALUES|TABLE)$/
// An open result pauses the server mid-send; it aborts after net_write_timeout (60 s by default).
// Raised per session so a result can sit open while the user reads.
const OPEN_RESULT_WRITE_TIMEOUT_S = 8 * 3600

function run(conn: mysql.PoolConnection, sql: string): Promise<mysql.ResultSetHeader> {
  return new Promise((resolve, reject) =>
    conn.query(sql, (err, res) => (err ? reject(err) : resolve(res as mysql.ResultSetHeader))),
  )
}

/** Whether the server is MariaDB (statement time limits are named differently). */
export function isMariaDb(conn: mysql.PoolConnection): boolean {
  const hs = (conn as unknown as { _handshakePacket?: { serverVersion?: string } })._handshakePacket
  return /mariadb/i.test(hs?.serverVersion ?? '')
}

/** Creates the MySQL query engine shared by all MySQL targets. */
export function createMySqlQueryRunner(options: MySqlQueryRunnerOptions) {
  const open = new Map<string, OpenQuery>()
  const starting = new Map<string, boolean>()
  const history = new Map<TargetId, Array<{ sql: string; at: number; ok: boolean }>>()
  const log = options.logger.child('db.mysql.query')
  const emit = (event: QueryEvent) => options.onEvent?.(event)
  const historySize = options.historySize ?? 200
  const pageSizeOf = (n: number) => Math.max(1, Math.min(MAX_PAGE, Math.floor(n) || 1))

  const remember = (targetId: TargetId, sql: string, ok: boolean) => {
    const list = history.get(targetId) ?? []
    list.unshift({ sql, at: Date.now(), ok })
    if (list.length > historySize) list.length = historySize
    history.set(targetId, list)
  }

  /** Returns the connection to the pool; a half-read result cannot be, so that one is dropped. */
  const finish = async (q: OpenQuery, notices?: string[]) => {
    open.delete(q.queryId)
    if (q.released) return
    q.released = true
    q.cursor?.close()
    q.cursor = null
    if (q.stream && !q.stream.done) {
      q.stream = null
      q.conn.destroy()
      return
    }
    q.stream = null
    try {
      if (q.inTransaction) {
        await run(q.conn, 'ROLLBACK')
        notices?.push('The script left a transaction open; it was rolled back (runs use pooled connections).')
      }
      q.conn.release()
    } catch {
      q.conn.destroy()
    }
  }

  /**
   * Runs a row-returning statement through a server-side cursor (pages are pulled, so nothing piles
   * up in the tunnel). Resolves null when done, 'text' when no cursor fits (run it as text), or the
   * statement's error.
   */
  const runWithCursor = async (
    q: OpenQuery,
    sql: string,
    pageSize: number,
    last: boolean,
    i: number,
    results: StatementResult[],
    notices: string[],
  ): Promise<null | 'text' | NonNullable<QueryResult['error']>> => {
    const t0 = Date.now()
    let cursor: MySqlCursor | null
    try {
      cursor = await MySqlCursor.open(q.conn, sql)
    } catch (err) {
      return toErrorInfo(mapMySqlSqlError(err, q.cancelled))
    }
    if (!cursor) return 'text'
    const columns = describeMySqlColumns(cursor.fields)
    let page: { rows: unknown[][]; hasMore: boolean }
    try {
      page = await cursor.fetch(pageSize)
    } catch (err) {
      cursor.close()
      return toErrorInfo(mapMySqlSqlError(err, q.cancelled))
    }
    let hasMore = page.hasMore
    if (hasMore && !last) {
      hasMore = false
      notices.push(
        `Statement ${i + 1} returned more than ${pageSize} rows; only the first page is kept because later statements ran on the same connection.`,
      )
    }
    if (hasMore) {
      q.cursor = cursor
      q.columns = columns
    } else cursor.close()
    results.push({
      index: results.length,
      statement: sql,
      command: /^[A-Za-z]+/.exec(sql)?.[0]?.toUpperCase() ?? null,
      rowCount: page.rows.length,
      columns,
      rows: page.rows.map((r) => mysqlCells(r, columns)),
      hasMore,
      durationMs: Date.now() - t0,
    })
    if (hasMore) q.resultIndex = results.length - 1
    return null
  }

  const destroy = (q: OpenQuery) => {
    open.delete(q.queryId)
    if (q.released) return
    q.released = true
    q.conn.destroy()
  }

  return {
    /** Runs a script; rejects only when no connection could be made (statement errors are data). */
    async runQuery(
      pools: MySqlTargetPools,
      input: { queryId: string; sql: string; pageSize: number; statementTimeoutMs?: number },
    ): Promise<QueryResult> {
      const started = Date.now()
      const targetId = pools.target.id
      if (open.has(input.queryId) || starting.has(input.queryId))
        throw PortholeError.of('CONFLICT', `Query ${input.queryId} is already open.`)
      const statements = splitMySql(input.sql)
      const pageSize = pageSizeOf(input.pageSize)
      starting.set(input.queryId, false)
      let conn: mysql.PoolConnection
      let cancelledEarly = false
      try {
        conn = await pools.connect('query')
      } finally {
        cancelledEarly = starting.get(input.queryId) === true
        starting.delete(input.queryId)
      }
      const q: OpenQuery = {
        queryId: input.queryId,
        targetId,
        pools,
        conn,
        stream: null,
        cursor: null,
        resultIndex: -1,
        columns: [],
        running: true,
        cancelled: cancelledEarly,
        released: false,
        inTransaction: false,
      }
      open.set(q.queryId, q)
      emit({ queryId: q.queryId, kind: 'started' })
      const notices: string[] = []
      const results: StatementResult[] = []
      let error: QueryResult['error'] = null
      try {
        const timeoutMs = Math.max(0, Math.floor(input.statementTimeoutMs ?? options.statementTimeoutMs ?? 0))
        const limit = isMariaDb(conn)
          ? `max_statement_time = ${timeoutMs / 1000}`
          : `max_execution_time = ${timeoutMs}`
        await run(conn, `SET SESSION ${limit}, net_write_timeout = ${OPEN_RESULT_WRITE_TIMEOUT_S}`)
        for (let i = 0; i < statements.length && !error; i++) {
          const stmt = statements[i]
          if (q.cancelled) {
            error = toErrorInfo(PortholeError.of('QUERY_CANCELLED', 'The query was cancelled.'))
            break
          }
          const last = i === statements.length - 1
          const keyword = /^[A-Za-z]+/.exec(stmt.text)?.[0]?.toUpperCase() ?? null
          if (ROW_STATEMENT.test(keyword ?? '')) {
            const r = await runWithCursor(q, stmt.text, pageSize, last, i, results, notices)
            if (r && r !== 'text') {
              error = r
              break
            }
            if (r === null) continue
          }
          const stream = new MySqlResultStream(conn, stmt.text, pageSize)
          q.stream = stream
          let t0 = Date.now()
          let sets = 0
          for (;;) {
            const item = await stream.next()
            if (item.kind === 'end') break
            if (item.kind === 'error') {
              error = toErrorInfo(mapMySqlSqlError(item.error, q.cancelled))
              break
            }
            if (item.kind === 'ok') {
              q.inTransaction = (item.header.serverStatus & SERVER_STATUS_IN_TRANS) !== 0
              // CALL ends with an OK after its result sets; the sets already tell the story.
              if (sets === 0)
                results.push({
                  index: results.length,
                  statement: stmt.text,
                  command: keyword,
                  rowCount: item.header.affectedRows,
                  columns: null,
                  rows: [],
                  hasMore: false,
                  durationMs: Date.now() - t0,
                })
              continue
            }
            if (item.kind !== 'fields') continue
            sets++
            const columns = describeMySqlColumns(item.fields)
            const rows: unknown[][] = []
            while (rows.length < pageSize && (await stream.peek()).kind === 'row') {
              const r = await stream.next()
              if (r.kind === 'row') rows.push(r.row)
            }
            const after = await stream.peek()
            if (after.kind === 'error') {
              error = toErrorInfo(mapMySqlSqlError(after.error, q.cancelled))
              break
            }
            let hasMore = after.kind === 'row'
            if (hasMore && !last) {
              const skipped = await stream.skipRows()
              hasMore = false
              notices.push(
                `Statement ${i + 1} returned ${pageSize + skipped} rows; only the first ${pageSize} are kept because later statements ran on the same connection.`,
              )
            }
            results.push({
              index: results.length,
              statement: stmt.text,
              command: keyword,
              rowCount: rows.length,
              columns,
              rows: rows.map((r) => mysqlCells(r, columns)),
              hasMore,
              durationMs: Date.now() - t0,
            })
            t0 = Date.now()
            if (hasMore) {
              q.resultIndex = results.length - 1
              q.columns = columns
              break
            }
          }
          if (!results.at(-1)?.hasMore) q.stream = null
        }
      } catch (err) {
        error = toErrorInfo(mapMySqlSqlError(err, q.cancelled))
      }
      q.running = false
      if (!q.stream && !q.cursor) await finish(q, notices)
      remember(targetId, input.sql, !error)
      const kind = error ? (error.code === 'QUERY_CANCELLED' ? 'cancelled' : 'failed') : 'finished'
      emit({ queryId: q.queryId, kind, message: error?.message })
      if (error) log.debug(`query ${q.queryId} ended with ${error.code}`, targetId)
      return { queryId: q.queryId, results, notices, error, durationMs: Date.now() - started }
    },

    /** Reads the next `count` rows of the open result; closes the query after the last row. */
    async fetchRows(queryId: string, resultIndex: number, count: number): Promise<RowsPage> {
      const q = open.get(queryId)
      if (!(q?.stream || q?.cursor) || q.resultIndex !== resultIndex)
        throw PortholeError.of('NOT_FOUND', `No open result ${resultIndex} for query ${queryId}.`)
      if (q.running) throw PortholeError.of('CONFLICT', `Query ${queryId} is still reading.`)
      q.running = true
      if (q.cursor) {
        try {
          const page = await q.cursor.fetch(pageSizeOf(count))
          q.running = false
          if (!page.hasMore) await finish(q)
          return { rows: page.rows.map((r) => mysqlCells(r, q.columns)), hasMore: page.hasMore }
        } catch (err) {
          q.running = false
          await finish(q)
          throw mapMySqlSqlError(err, q.cancelled)
        }
      }
      const stream = q.stream
      if (!stream) throw PortholeError.of('NOT_FOUND', `No open result ${resultIndex} for query ${queryId}.`)
      try {
        const n = pageSizeOf(count)
        const rows: unknown[][] = []
        while (rows.length < n && (await stream.peek()).kind === 'row') {
          const r = await stream.next()
          if (r.kind === 'row') rows.push(r.row)
        }
        const after = await stream.peek()
        q.running = false
        if (after.kind === 'error') throw after.error
        const hasMore = after.kind === 'row'
        if (!hasMore) {
          // Further result sets of a CALL after a paged one are read and dropped before release.
          await stream.drain()
          await finish(q)
        }
        return { rows: rows.map((r) => mysqlCells(r, q.columns)), hasMore }
      } catch (err) {
        q.running = false
        await finish(q)
        throw mapMySqlSqlError(err, q.cancelled)
      }
    },

    /** Stops a running statement with KILL QUERY from a util connection; closes an idle one. */
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
        await run(ctl, `KILL QUERY ${Number(q.conn.threadId)}`)
        return true
      } finally {
        ctl.release()
      }
    },

    async closeQuery(queryId: string): Promise<boolean> {
      const q = open.get(queryId)
      if (!q || q.running) return false
      await finish(q)
      return true
    },

    has(queryId: string): boolean {
      return open.has(queryId) || starting.has(queryId)
    },

    listHistory(targetId: TargetId) {
      return [...(history.get(targetId) ?? [])]
    },

    async closeTarget(targetId: TargetId): Promise<void> {
      for (const q of [...open.values()]) if (q.targetId === targetId) destroy(q)
    },

    async closeAll(): Promise<void> {
      for (const q of [...open.values()]) destroy(q)
    },
  }
}
