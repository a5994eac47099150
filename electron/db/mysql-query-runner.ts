// Runs SQL scripts on MySQL/MariaDB with the PostgreSQL runner's console semantics (query-runner.ts):
// statements in order on one pooled connection; every result set is held (held-result.ts, spilled
// to disk past a budget) until the query is closed, so the grid pages it to its end and an export
// writes exactly those rows without running SQL again. Row-returning statements run through a
// server-side cursor whose pages are pulled (mysql-cursor.ts); others stream as text. The final
// result keeps its cursor/stream open for paging; earlier ones are read up to MATERIALISE_CAP rows.
// Cancel is KILL QUERY <thread id> from a second connection. A CALL's several result sets each
// become a result.
import { join } from 'node:path'
import type mysql from 'mysql2'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { Column, QueryEvent, QueryResult, RowsPage, StatementResult } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { toCells } from './display'
import { HeldResult, type RawRow } from './held-result'
import { describeMySqlColumns, mysqlRawRow } from './mysql-columns'
import { MySqlCursor } from './mysql-cursor'
import { mapMySqlSqlError } from './mysql-errors'
import type { MySqlTargetPools } from './mysql-pools'
import { MySqlResultStream } from './mysql-result-stream'
import { splitMySql } from './mysql-sql-splitter'

interface HeldSet {
  statement: string
  columns: Column[] | null
  rows: HeldResult
  truncated: boolean
  lost: string | null
}

/** The open source of more rows for one held result: a cursor, or a text stream. */
type Source =
  | { resultIndex: number; cursor: MySqlCursor }
  | { resultIndex: number; stream: MySqlResultStream }

interface OpenQuery {
  queryId: string
  targetId: TargetId
  pools: MySqlTargetPools
  conn: mysql.PoolConnection | null
  threadId: number
  source: Source | null
  held: Map<number, HeldSet>
  running: boolean
  scriptDone: boolean
  cancelled: boolean
  inTransaction: boolean
}

export interface MySqlQueryRunnerOptions {
  logger: Logger
  onEvent?: (event: QueryEvent) => void
  statementTimeoutMs?: number
  historySize?: number
  spillDir: string
  materialiseCap?: number
}

const MAX_PAGE = 10_000
const FILL_PAGE = 5_000
const MAX_HELD_QUERIES = 64
const SERVER_STATUS_IN_TRANS = 0x1
// Statements that return rows and can be served by a server-side cursor.
const ROW_STATEMENT = /^(SELECT|WITH|VALUES|TABLE)$/
// A text-streamed result pauses the server mid-send; it aborts after net_write_timeout (60 s by
// default), so the session allows longer while a result stays open.
const OPEN_RESULT_WRITE_TIMEOUT_S = 8 * 3600
// The session settings as we last set them, per connection; a script that may change them resets it.
const sessionTimeout = new WeakMap<object, number>()
const TOUCHES_SESSION =
  /max_statement_time|max_execution_time|net_write_timeout|change_user|reset\s+connection/i

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

const rawRows = (rows: unknown[][], columns: Column[]): RawRow[] =>
  rows.map((r) => mysqlRawRow(r, columns) as RawRow)

/** Creates the MySQL query engine shared by all MySQL targets. */
export function createMySqlQueryRunner(options: MySqlQueryRunnerOptions) {
  const open = new Map<string, OpenQuery>()
  const starting = new Map<string, boolean>()
  const history = new Map<TargetId, Array<{ sql: string; at: number; ok: boolean }>>()
  const log = options.logger.child('db.mysql.query')
  const emit = (event: QueryEvent) => options.onEvent?.(event)
  const historySize = options.historySize ?? 200
  const cap = options.materialiseCap ?? 100_000
  const pageSizeOf = (n: number) => Math.max(1, Math.min(MAX_PAGE, Math.floor(n) || 1))

  const remember = (targetId: TargetId, sql: string, ok: boolean) => {
    const list = history.get(targetId) ?? []
    list.unshift({ sql, at: Date.now(), ok })
    if (list.length > historySize) list.length = historySize
    history.set(targetId, list)
  }

  /** Returns the connection to the pool (rolling back a transaction the script left open). */
  const release = async (q: OpenQuery, notices?: string[]) => {
    q.scriptDone = true
    const conn = q.conn
    if (!conn) return
    q.conn = null
    try {
      if (q.inTransaction) {
        await run(conn, 'ROLLBACK')
        notices?.push('The script left a transaction open; it was rolled back (runs use pooled connections).')
      }
      conn.release()
    } catch {
      conn.destroy()
    }
  }

  /** Ends the open cursor or stream; a half-read text stream cannot go back to the pool. */
  const dropSource = async (q: OpenQuery) => {
    const s = q.source
    q.source = null
    if (!s) return
    if ('cursor' in s) s.cursor.close()
    else if (!s.stream.done) {
      q.conn?.destroy()
      q.conn = null
    }
    if (q.scriptDone) await release(q)
  }

  const forget = async (q: OpenQuery) => {
    open.delete(q.queryId)
    await dropSource(q).catch(() => undefined)
    await release(q)
    await Promise.all([...q.held.values()].map((h) => h.rows.dispose()))
  }

  const hasMore = (q: OpenQuery, index: number): boolean => {
    const h = q.held.get(index)
    return Boolean(h && (h.rows.served < h.rows.count || q.source?.resultIndex === index))
  }

  /** Reads up to `count` more rows of the open source into its held result; returns them. */
  const readMore = async (q: OpenQuery, count: number): Promise<RawRow[]> => {
    const s = q.source
    if (!s) return []
    const held = q.held.get(s.resultIndex)
    if (!held) return []
    try {
      if ('cursor' in s) {
        const page = await s.cursor.fetch(count)
        const raw = rawRows(page.rows, held.columns ?? [])
        await held.rows.append(raw)
        if (!page.hasMore) await dropSource(q)
        return raw
      }
      const rows: unknown[][] = []
      while (rows.length < count && (await s.stream.peek()).kind === 'row') {
        const r = await s.stream.next()
        if (r.kind === 'row') rows.push(r.row)
      }
      const raw = rawRows(rows, held.columns ?? [])
      await held.rows.append(raw)
      const after = await s.stream.peek()
      if (after.kind === 'error') throw after.error
      if (after.kind !== 'row') {
        await s.stream.drain()
        await dropSource(q)
      }
      return raw
    } catch (err) {
      held.lost = `the server ended the statement: ${(err as Error).message}`
      q.source = null
      q.conn?.destroy()
      q.conn = null
      throw mapMySqlSqlError(err, q.cancelled)
    }
  }

  const hold = (q: OpenQuery, index: number, statement: string, columns: Column[] | null): HeldSet => {
    const set: HeldSet = {
      statement,
      columns,
      rows: new HeldResult(join(options.spillDir, q.queryId)),
      truncated: false,
      lost: null,
    }
    q.held.set(index, set)
    return set
  }

  /**
   * Holds one result set whose first rows are read: keeps its source open when it is the script's
   * last, else reads it up to the cap and cuts it there.
   */
  const settle = async (
    q: OpenQuery,
    set: HeldSet,
    index: number,
    source: Source,
    last: boolean,
    notices: string[],
  ) => {
    q.source = source
    if (last) return
    while (q.source && set.rows.count < cap && !q.cancelled)
      await readMore(q, Math.min(FILL_PAGE, cap - set.rows.count))
    if (q.source) {
      set.truncated = true
      notices.push(
        `Statement ${index + 1} returned more than ${cap.toLocaleString('en-US')} rows; only those are kept because later statements ran on the same connection. Run it alone to page through all of it.`,
      )
      const s = q.source
      q.source = null
      if ('cursor' in s) s.cursor.close()
      else await s.stream.drain()
    }
  }

  /** Runs one statement; pushes its result(s). Resolves the statement's error info, or null. */
  const runStatement = async (
    q: OpenQuery,
    conn: mysql.PoolConnection,
    sql: string,
    pageSize: number,
    last: boolean,
    results: StatementResult[],
    notices: string[],
  ): Promise<QueryResult['error']> => {
    const keyword = /^[A-Za-z]+/.exec(sql)?.[0]?.toUpperCase() ?? null
    let t0 = Date.now()
    const push = async (set: HeldSet, index: number, rowCount: number | null) => {
      const first = await set.rows.next(pageSize)
      results.push({
        index,
        statement: sql,
        command: keyword,
        rowCount: set.columns ? set.rows.count : rowCount,
        columns: set.columns,
        rows: first.map((r) => toCells(r, set.columns ?? [])),
        hasMore: hasMore(q, index),
        truncated: set.truncated,
        durationMs: Date.now() - t0,
      })
      t0 = Date.now()
    }
    if (ROW_STATEMENT.test(keyword ?? '')) {
      const cursor = await MySqlCursor.open(conn, sql)
      if (cursor) {
        const index = results.length
        const set = hold(q, index, sql, describeMySqlColumns(cursor.fields))
        const page = await cursor.fetch(pageSize).catch((err: unknown) => {
          cursor.close()
          throw err
        })
        await set.rows.append(rawRows(page.rows, set.columns ?? []))
        if (page.hasMore) await settle(q, set, index, { resultIndex: index, cursor }, last, notices)
        else cursor.close()
        await push(set, index, null)
        return null
      }
    }
    const stream = new MySqlResultStream(conn, sql, pageSize)
    let sets = 0
    for (;;) {
      const item = await stream.next()
      if (item.kind === 'end') return null
      if (item.kind === 'error') return toErrorInfo(mapMySqlSqlError(item.error, q.cancelled))
      if (item.kind === 'ok') {
        q.inTransaction = (item.header.serverStatus & SERVER_STATUS_IN_TRANS) !== 0
        // A CALL ends with an OK after its result sets; the sets already tell the story.
        if (sets === 0)
          await push(hold(q, results.length, sql, null), results.length, item.header.affectedRows)
        continue
      }
      if (item.kind !== 'fields') continue
      sets++
      const index = results.length
      const set = hold(q, index, sql, describeMySqlColumns(item.fields))
      const rows: unknown[][] = []
      while (rows.length < pageSize && (await stream.peek()).kind === 'row') {
        const r = await stream.next()
        if (r.kind === 'row') rows.push(r.row)
      }
      await set.rows.append(rawRows(rows, set.columns ?? []))
      const after = await stream.peek()
      if (after.kind === 'error') return toErrorInfo(mapMySqlSqlError(after.error, q.cancelled))
      if (after.kind === 'row') {
        // Only the statement's last result set can stay open (a CALL's later sets follow it).
        await settle(q, set, index, { resultIndex: index, stream }, last, notices)
        if (q.source) {
          await push(set, index, null)
          return null
        }
      }
      await push(set, index, null)
    }
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
        threadId: Number(conn.threadId),
        source: null,
        held: new Map(),
        running: true,
        scriptDone: false,
        cancelled: cancelledEarly,
        inTransaction: false,
      }
      open.set(q.queryId, q)
      for (const old of open.values()) {
        if (open.size <= MAX_HELD_QUERIES) break
        if (!old.running && !old.source) void forget(old)
      }
      emit({ queryId: q.queryId, kind: 'started' })
      const notices: string[] = []
      const results: StatementResult[] = []
      let error: QueryResult['error'] = null
      try {
        const timeoutMs = Math.max(0, Math.floor(input.statementTimeoutMs ?? options.statementTimeoutMs ?? 0))
        const limit = isMariaDb(conn)
          ? `max_statement_time = ${timeoutMs / 1000}`
          : `max_execution_time = ${timeoutMs}`
        // Set once per pooled connection and again only when it differs (a round trip saved per run).
        if (sessionTimeout.get(conn) !== timeoutMs) {
          await run(conn, `SET SESSION ${limit}, net_write_timeout = ${OPEN_RESULT_WRITE_TIMEOUT_S}`)
          sessionTimeout.set(conn, timeoutMs)
        }
        for (let i = 0; i < statements.length && !error; i++) {
          if (q.cancelled) {
            error = toErrorInfo(PortholeError.of('QUERY_CANCELLED', 'The query was cancelled.'))
            break
          }
          error = await runStatement(
            q,
            conn,
            statements[i]?.text ?? '',
            pageSize,
            i === statements.length - 1,
            results,
            notices,
          )
        }
      } catch (err) {
        error = toErrorInfo(mapMySqlSqlError(err, q.cancelled))
      }
      if (TOUCHES_SESSION.test(input.sql)) sessionTimeout.delete(conn)
      q.running = false
      if (q.source) q.scriptDone = true
      else await release(q, notices)
      remember(targetId, input.sql, !error)
      const kind = error ? (error.code === 'QUERY_CANCELLED' ? 'cancelled' : 'failed') : 'finished'
      emit({ queryId: q.queryId, kind, message: error?.message })
      if (error) log.debug(`query ${q.queryId} ended with ${error.code}`, targetId)
      return { queryId: q.queryId, results, notices, error, durationMs: Date.now() - started }
    },

    /** Reads the next `count` rows of a held result: held rows first, then its open source. */
    async fetchRows(queryId: string, resultIndex: number, count: number): Promise<RowsPage> {
      const q = open.get(queryId)
      const held = q?.held.get(resultIndex)
      if (!q || !held) throw PortholeError.of('NOT_FOUND', `No result ${resultIndex} for query ${queryId}.`)
      if (q.running) throw PortholeError.of('CONFLICT', `Query ${queryId} is still reading.`)
      q.running = true
      try {
        const n = pageSizeOf(count)
        if (held.rows.served >= held.rows.count && q.source?.resultIndex === resultIndex) await readMore(q, n)
        const rows = (await held.rows.next(n)).map((r) => toCells(r, held.columns ?? []))
        return { rows, hasMore: hasMore(q, resultIndex) }
      } finally {
        q.running = false
      }
    },

    /** Hands every row of a held result to `onRows` (held rows, then the rest of its source). */
    async readAll(
      queryId: string,
      resultIndex: number,
      onRows: (rows: RawRow[]) => Promise<void>,
      onColumns: (columns: Column[]) => Promise<void>,
    ): Promise<{ complete: boolean; note: string | null }> {
      const q = open.get(queryId)
      const held = q?.held.get(resultIndex)
      if (!q || !held)
        throw PortholeError.of(
          'NOT_FOUND',
          `Result ${resultIndex} of query ${queryId} is no longer held; run it again.`,
        )
      if (!held.columns) throw PortholeError.of('VALIDATION', 'That statement returned no rows to export.')
      if (q.running) throw PortholeError.of('CONFLICT', `Query ${queryId} is still running.`)
      q.running = true
      try {
        await onColumns(held.columns)
        await held.rows.each(onRows)
        while (q.source?.resultIndex === resultIndex) {
          let batch: RawRow[]
          try {
            batch = await readMore(q, FILL_PAGE)
          } catch {
            break
          }
          await onRows(batch)
        }
        const n = held.rows.count.toLocaleString('en-US')
        const note = held.truncated
          ? `The result was cut at ${n} rows when the script ran (later statements needed the connection); run the statement alone to export all of it.`
          : held.lost
            ? `The rest of the result could not be fetched (${held.lost}); the file holds the ${n} rows that were held.`
            : null
        return { complete: note === null, note }
      } finally {
        q.running = false
      }
    },

    heldInfo(queryId: string, resultIndex: number): { targetId: TargetId; statement: string } | null {
      const q = open.get(queryId)
      const held = q?.held.get(resultIndex)
      return q && held ? { targetId: q.targetId, statement: held.statement } : null
    },

    /** Stops a running statement with KILL QUERY from a util connection; closes an idle source. */
    async cancelQuery(queryId: string): Promise<boolean> {
      if (starting.has(queryId)) {
        starting.set(queryId, true)
        return true
      }
      const q = open.get(queryId)
      if (!q?.conn) return false
      q.cancelled = true
      if (!q.running) {
        await dropSource(q)
        await release(q)
        emit({ queryId, kind: 'cancelled' })
        return true
      }
      const ctl = await q.pools.connect('util')
      try {
        await run(ctl, `KILL QUERY ${q.threadId}`)
        return true
      } finally {
        ctl.release()
      }
    },

    async closeQuery(queryId: string): Promise<boolean> {
      const q = open.get(queryId)
      if (!q || q.running) return false
      await forget(q)
      return true
    },

    has: (queryId: string): boolean => open.has(queryId) || starting.has(queryId),

    activity(targetId: TargetId): { runningQueries: number; openResults: number } {
      let runningQueries = 0
      let openResults = 0
      for (const q of open.values()) {
        if (q.targetId !== targetId) continue
        if (q.running && !q.scriptDone) runningQueries++
        if (q.source) openResults++
      }
      return { runningQueries, openResults }
    },

    listHistory: (targetId: TargetId) => [...(history.get(targetId) ?? [])],

    /** Drops a target's connections outright; rows already held stay exportable. */
    async closeTarget(targetId: TargetId): Promise<void> {
      for (const q of open.values()) {
        if (q.targetId !== targetId) continue
        const s = q.source
        const held = s ? q.held.get(s.resultIndex) : undefined
        if (held) held.lost = 'the connection to the database closed'
        q.source = null
        q.scriptDone = true
        q.conn?.destroy()
        q.conn = null
      }
    },

    async closeAll(): Promise<void> {
      for (const q of [...open.values()]) {
        q.source = null
        q.conn?.destroy()
        q.conn = null
        open.delete(q.queryId)
        await Promise.all([...q.held.values()].map((h) => h.rows.dispose()))
      }
    },
  }
}

export type MySqlQueryRunner = ReturnType<typeof createMySqlQueryRunner>
