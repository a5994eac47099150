// MySQL's side of the held queries (held-queries.ts): an open query keeps its pooled connection
// while it runs or keeps a source open: a server-side cursor (mysql-cursor.ts) or a text result
// still streaming (mysql-result-stream.ts). A half-read text stream cannot go back to the pool.
import type mysql from 'mysql2'
import type { Column, QueryEvent } from '../../shared/ipc/models'
import type { Logger } from '../base/logger'
import { createHeldQueries, type HeldQuery } from './held-queries'
import type { RawRow } from './held-result'
import { mysqlRawRow } from './mysql-columns'
import type { MySqlCursor } from './mysql-cursor'
import { mapMySqlSqlError } from './mysql-errors'
import type { MySqlTargetPools } from './mysql-pools'
import type { MySqlResultStream } from './mysql-result-stream'

/** The open source of more rows for one held result: a cursor, or a text stream. */
export type MySqlSource =
  | { resultIndex: number; cursor: MySqlCursor }
  | { resultIndex: number; stream: MySqlResultStream }

export interface MySqlOpenQuery extends HeldQuery<MySqlSource> {
  pools: MySqlTargetPools
  conn: mysql.PoolConnection | null
  threadId: number
  inTransaction: boolean
}

/** Runs one statement on `conn` without results (SET, ROLLBACK, KILL QUERY). */
export function runOn(conn: mysql.PoolConnection, sql: string): Promise<mysql.ResultSetHeader> {
  return new Promise((resolve, reject) =>
    conn.query(sql, (err, res) => (err ? reject(err) : resolve(res as mysql.ResultSetHeader))),
  )
}

export const rawRows = (rows: unknown[][], columns: Column[]): RawRow[] =>
  rows.map((r) => mysqlRawRow(r, columns) as RawRow)

/** Creates the MySQL runner's registry of open queries. */
export function createMySqlQueryStore(options: {
  logger: Logger
  onEvent?: (event: QueryEvent) => void
  historySize?: number
}) {
  const release = async (q: MySqlOpenQuery, notices?: string[]) => {
    q.scriptDone = true
    const conn = q.conn
    if (!conn) return
    q.conn = null
    try {
      if (q.inTransaction) {
        await runOn(conn, 'ROLLBACK')
        notices?.push('The script left a transaction open; it was rolled back (runs use pooled connections).')
      }
      conn.release()
    } catch {
      conn.destroy()
    }
  }

  const dropSource = async (q: MySqlOpenQuery) => {
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

  /** Reads up to `count` more rows of the open source into its held result; returns them. */
  const readMore = async (q: MySqlOpenQuery, count: number): Promise<RawRow[]> => {
    const s = q.source
    const held = s ? q.held.get(s.resultIndex) : undefined
    if (!s || !held) return []
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

  const held = createHeldQueries<MySqlOpenQuery>(
    {
      readMore,
      dropSource,
      release,
      destroyConnection: (q) => {
        q.conn?.destroy()
        q.conn = null
      },
    },
    options,
  )
  return { ...held, readMore, release }
}

export type MySqlQueryStore = ReturnType<typeof createMySqlQueryStore>
