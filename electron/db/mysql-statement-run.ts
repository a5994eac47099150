// One statement of a MySQL console script: its result set(s) held (a CALL returns several), the
// first page read, and the last result's source left open for paging when it is the script's
// last statement; an earlier one is read up to the materialise cap and cut there, with a notice.
// Row-returning statements use a server-side cursor (pages pulled on demand); others stream as text.
import type mysql from 'mysql2'
import { toErrorInfo } from '../../shared/errors'
import type { QueryResult, StatementResult } from '../../shared/ipc/models'
import { toCells } from './display'
import { FILL_PAGE, type HeldSet } from './held-queries'
import { describeMySqlColumns } from './mysql-columns'
import { MySqlCursor } from './mysql-cursor'
import { mapMySqlSqlError } from './mysql-errors'
import type { MySqlOpenQuery, MySqlQueryStore, MySqlSource } from './mysql-query-store'
import { rawRows } from './mysql-query-store'
import { MySqlResultStream } from './mysql-result-stream'

const SERVER_STATUS_IN_TRANS = 0x1
// Statements that return rows and can be served by a server-side cursor.
const ROW_STATEMENT = /^(SELECT|WITH|VALUES|TABLE)$/

export interface StatementRun {
  store: MySqlQueryStore
  q: MySqlOpenQuery
  conn: mysql.PoolConnection
  /** Where the held rows of this query spill. */
  spillDir: string
  /** Rows an earlier statement is read to before it is cut. */
  cap: number
  pageSize: number
  results: StatementResult[]
  notices: string[]
}

/**
 * Holds one result set whose first rows are read: keeps its source open when it is the script's
 * last, else reads it up to the cap and cuts it there.
 */
async function settle(run: StatementRun, set: HeldSet, index: number, source: MySqlSource, last: boolean) {
  const { q, store, cap } = run
  q.source = source
  if (last) return
  while (q.source && set.rows.count < cap && !q.cancelled)
    await store.readMore(q, Math.min(FILL_PAGE, cap - set.rows.count))
  if (q.source) {
    set.truncated = true
    run.notices.push(
      `Statement ${index + 1} returned more than ${cap.toLocaleString('en-US')} rows; only those are kept because later statements ran on the same connection. Run it alone to page through all of it.`,
    )
    const s = q.source
    q.source = null
    if ('cursor' in s) s.cursor.close()
    else await s.stream.drain()
  }
}

/** Runs one statement and pushes its result(s); resolves the statement's error info, or null. */
export async function runMySqlStatement(
  run: StatementRun,
  sql: string,
  last: boolean,
): Promise<QueryResult['error']> {
  const { q, store, conn, pageSize, results } = run
  const keyword = /^[A-Za-z]+/.exec(sql)?.[0]?.toUpperCase() ?? null
  let t0 = Date.now()
  const hold = (index: number, columns: HeldSet['columns']) =>
    store.hold(q, index, sql, columns, run.spillDir)
  const push = async (set: HeldSet, index: number, rowCount: number | null) => {
    const first = await set.rows.next(pageSize)
    results.push({
      index,
      statement: sql,
      command: keyword,
      rowCount: set.columns ? set.rows.count : rowCount,
      columns: set.columns,
      rows: first.map((r) => toCells(r, set.columns ?? [])),
      hasMore: store.hasMore(q, index),
      truncated: set.truncated,
      durationMs: Date.now() - t0,
    })
    t0 = Date.now()
  }
  if (ROW_STATEMENT.test(keyword ?? '')) {
    const cursor = await MySqlCursor.open(conn, sql)
    if (cursor) {
      const index = results.length
      const set = hold(index, describeMySqlColumns(cursor.fields))
      const page = await cursor.fetch(pageSize).catch((err: unknown) => {
        cursor.close()
        throw err
      })
      await set.rows.append(rawRows(page.rows, set.columns ?? []))
      if (page.hasMore) await settle(run, set, index, { resultIndex: index, cursor }, last)
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
      if (sets === 0) await push(hold(results.length, null), results.length, item.header.affectedRows)
      continue
    }
    if (item.kind !== 'fields') continue
    sets++
    const index = results.length
    const set = hold(index, describeMySqlColumns(item.fields))
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
      await settle(run, set, index, { resultIndex: index, stream }, last)
      if (q.source) {
        await push(set, index, null)
        return null
      }
    }
    await push(set, index, null)
  }
}
