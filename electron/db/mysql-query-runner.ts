// Runs SQL scripts on MySQL/MariaDB with the PostgreSQL runner's console semantics (query-runner.ts):
// statements in order on one pooled connection (mysql-statement-run.ts), every result set held until
// the query is closed (held-queries.ts), so the grid pages it to its end and an export writes exactly
// those rows without running SQL again. Cancel is KILL QUERY <thread id> from a second connection.
import { join } from 'node:path'
import type mysql from 'mysql2'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { QueryEvent, QueryResult, StatementResult } from '../../shared/ipc/models'
import type { Logger } from '../base/logger'
import { heldQueryApi, pageSizeOf } from './held-queries'
import { mapMySqlSqlError } from './mysql-errors'
import type { MySqlTargetPools } from './mysql-pools'
import { createMySqlQueryStore, runOn } from './mysql-query-store'
import { splitMySql } from './mysql-sql-splitter'
import { runMySqlStatement } from './mysql-statement-run'

export interface MySqlQueryRunnerOptions {
  logger: Logger
  onEvent?: (event: QueryEvent) => void
  statementTimeoutMs?: number
  historySize?: number
  spillDir: string
  materialiseCap?: number
}

// A text-streamed result pauses the server mid-send; it aborts after net_write_timeout (60 s by
// default), so the session allows longer while a result stays open.
const OPEN_RESULT_WRITE_TIMEOUT_S = 8 * 3600
// The session settings as we last set them, per connection; a script that may change them resets it.
const sessionTimeout = new WeakMap<object, number>()
const TOUCHES_SESSION =
  /max_statement_time|max_execution_time|net_write_timeout|change_user|reset\s+connection/i

/** Whether the server is MariaDB (statement time limits are named differently). */
export function isMariaDb(conn: mysql.PoolConnection): boolean {
  const hs = (conn as unknown as { _handshakePacket?: { serverVersion?: string } })._handshakePacket
  return /mariadb/i.test(hs?.serverVersion ?? '')
}

/** Creates the MySQL query engine shared by all MySQL targets. */
export function createMySqlQueryRunner(options: MySqlQueryRunnerOptions) {
  const log = options.logger.child('db.mysql.query')
  const store = createMySqlQueryStore({
    logger: log,
    onEvent: options.onEvent,
    historySize: options.historySize,
  })
  const { open, starting } = store
  const cap = options.materialiseCap ?? 100_000

  return {
    /** Runs a script; rejects only when no connection could be made (statement errors are data). */
    async runQuery(
      pools: MySqlTargetPools,
      input: { queryId: string; sql: string; pageSize: number; statementTimeoutMs?: number },
    ): Promise<QueryResult> {
      const started = Date.now()
      if (open.has(input.queryId) || starting.has(input.queryId))
        throw PortholeError.of('CONFLICT', `Query ${input.queryId} is already open.`)
      const statements = splitMySql(input.sql)
      const pageSize = pageSizeOf(input.pageSize)
      const { value: conn, cancelled } = await starting.wait(input.queryId, () => pools.connect('query'))
      const q = store.add({
        queryId: input.queryId,
        targetId: pools.target.id,
        pools,
        conn,
        threadId: Number(conn.threadId),
        source: null,
        held: new Map(),
        running: true,
        scriptDone: false,
        cancelled,
        inTransaction: false,
      })
      const notices: string[] = []
      const results: StatementResult[] = []
      const run = {
        store,
        q,
        conn,
        spillDir: join(options.spillDir, q.queryId),
        cap,
        pageSize,
        results,
        notices,
      }
      let error: QueryResult['error'] = null
      try {
        const timeoutMs = Math.max(0, Math.floor(input.statementTimeoutMs ?? options.statementTimeoutMs ?? 0))
        const limit = isMariaDb(conn)
          ? `max_statement_time = ${timeoutMs / 1000}`
          : `max_execution_time = ${timeoutMs}`
        // Set once per pooled connection and again only when it differs (a round trip saved per run).
        if (sessionTimeout.get(conn) !== timeoutMs) {
          await runOn(conn, `SET SESSION ${limit}, net_write_timeout = ${OPEN_RESULT_WRITE_TIMEOUT_S}`)
          sessionTimeout.set(conn, timeoutMs)
        }
        for (let i = 0; i < statements.length && !error; i++) {
          // A cancel that landed between two statements must still stop the script.
          if (q.cancelled) {
            error = store.cancelledError()
            break
          }
          error = await runMySqlStatement(run, statements[i]?.text ?? '', i === statements.length - 1)
        }
      } catch (err) {
        error = toErrorInfo(mapMySqlSqlError(err, q.cancelled))
      }
      if (TOUCHES_SESSION.test(input.sql)) sessionTimeout.delete(conn)
      await store.finish(q, input.sql, error, notices)
      return { queryId: q.queryId, results, notices, error, durationMs: Date.now() - started }
    },

    /** Stops a running statement with KILL QUERY from a util connection; closes an idle source. */
    async cancelQuery(queryId: string): Promise<boolean> {
      if (starting.cancel(queryId)) return true
      const q = open.get(queryId)
      if (!q?.conn) return false
      q.cancelled = true
      if (await store.cancelIdle(q)) return true
      const ctl = await q.pools.connect('util')
      try {
        await runOn(ctl, `KILL QUERY ${q.threadId}`)
        return true
      } finally {
        ctl.release()
      }
    },

    // Paging, export, close, activity and history: the same for every engine (held-queries.ts).
    ...heldQueryApi(store),
  }
}

export type MySqlQueryRunner = ReturnType<typeof createMySqlQueryRunner>
