// Runs SQL scripts: statements in order on one dedicated client, each as one pipelined batch
// (statement-exec.ts). Every result set is held (held-result.ts) until the query is closed, so the
// grid can page it to its end and an export writes exactly those rows without running SQL again.
// The script's final statement keeps its portal open for paging; earlier statements are read to
// their end up to MATERIALISE_CAP rows (a later statement needs the connection), past which the
// result is marked `truncated` with a way to run that statement alone. Cancel uses
// pg_cancel_backend on another client.
import { join } from 'node:path'
import type pg from 'pg'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { QueryEvent, QueryResult, StatementResult } from '../../shared/ipc/models'
import type { Logger } from '../base/logger'
import { toCells } from './display'
import { FILL_PAGE, heldQueryApi, pageSizeOf } from './held-queries'
import { type BatchResult, runBatch } from './pg-batch'
import { mapSqlError } from './pg-errors'
import type { TargetPools } from './pool-registry'
import { createQueryStore } from './query-store'
import { codePointLength, splitSql } from './sql-splitter'
import { finishStatement, openStatement, runsOutsideTransaction, startStatement } from './statement-exec'
import { describeColumns } from './type-names'

export interface QueryRunnerOptions {
  logger: Logger
  onEvent?: (event: QueryEvent) => void
  /** statement_timeout for scripts in ms; 0 = none. */
  statementTimeoutMs?: number
  historySize?: number
  /** Private folder for spill files of large held results. */
  spillDir: string
  /** Rows an earlier statement of a script is read to before it is cut (default 100,000). */
  materialiseCap?: number
}

// The session's statement_timeout as we last set it, per connection: set again only when it differs.
const sessionTimeout = new WeakMap<object, number>()
const TOUCHES_TIMEOUT = /statement_timeout|reset\s+all|discard\s+all|session\s+authorization|set\s+role/i

/** Creates the query engine shared by all PostgreSQL targets. */
export function createQueryRunner(options: QueryRunnerOptions) {
  const log = options.logger.child('db.query')
  const store = createQueryStore({ logger: log, onEvent: options.onEvent, historySize: options.historySize })
  const { open, starting, readMore, emit } = store
  const cap = options.materialiseCap ?? 100_000
  let portals = 0

  /**
   * SET statement_timeout when the connection's differs, written right ahead of the first
   * statement's batch (its own Sync, so no transaction of ours can roll it back): a fresh
   * connection pays no extra round trip for it.
   */
  const setTimeoutBatch = (client: pg.ClientBase, timeout: number): Promise<BatchResult> | null => {
    if (sessionTimeout.get(client) === timeout) return null
    sessionTimeout.set(client, timeout)
    return runBatch(client, [{ kind: 'exec', text: `SET statement_timeout = ${timeout}` }])
  }

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
      const timeout = Math.max(0, Math.floor(input.statementTimeoutMs ?? options.statementTimeoutMs ?? 0))
      const firstPortal = `porthole_${++portals}`
      const notices: string[] = []
      const onNotice = (n: { severity?: string; message?: string }) => {
        const text = `${n.severity ?? 'NOTICE'}: ${n.message}`
        notices.push(text)
        emit({ queryId: input.queryId, kind: 'notice', message: text })
      }
      const {
        value: { client, early },
        cancelled: cancelledEarly,
      } = await starting.wait(input.queryId, async () => {
        const lease = await pools.lease()
        const first = statements[0]
        if (!lease.connected) return { client: lease.client, early: null }
        if (!first || runsOutsideTransaction(first.text))
          return { client: await lease.connected, early: null }
        // The prewarm connection is still starting up: the first statement goes out behind its
        // token (one round trip, not two). Only inside our own transaction, so that a cancel
        // arriving meanwhile can still undo it.
        lease.client.on('notice', onNotice) // its notices may arrive in the same read as the login's end
        const set = setTimeoutBatch(lease.client, timeout)
        const started = startStatement(lease.client, first.text, firstPortal, pageSize)
        const unhook = () => lease.client.removeListener('notice', onNotice)
        const ready = await lease.connected.catch((err) => {
          unhook()
          throw err
        })
        if (ready === lease.client) return { client: ready, early: { set, started } }
        // The login was refused, so the server read neither batch: start over on the new client.
        unhook()
        sessionTimeout.delete(lease.client)
        return { client: ready, early: null }
      })
      const q = store.add({
        queryId: input.queryId,
        targetId,
        pools,
        client,
        pid: (client as unknown as { processID: number }).processID,
        cancelled: cancelledEarly,
        running: true,
        scriptDone: false,
        source: null,
        pendingCommit: null,
        held: new Map(),
      })
      if (!early) client.on('notice', onNotice)
      const results: StatementResult[] = []
      let error: QueryResult['error'] = null
      try {
        let setTimeoutFirst = early ? early.set : setTimeoutBatch(client, timeout)
        for (const [i, stmt] of statements.entries()) {
          // A cancel that landed between two statements must still stop the script.
          if (q.cancelled) {
            if (i === 0 && early) {
              // A first statement already sent behind the token is undone (our BEGIN wraps it).
              await early.started.batch
              await runBatch(client, [{ kind: 'exec', text: 'ROLLBACK' }])
            }
            error = store.cancelledError()
            break
          }
          const t0 = Date.now()
          const last = i === statements.length - 1
          const portal = i === 0 ? firstPortal : `porthole_${++portals}`
          const o =
            i === 0 && early
              ? await finishStatement(client, early.started, last)
              : await openStatement(client, stmt.text, portal, pageSize, last)
          const set = await setTimeoutFirst
          setTimeoutFirst = null
          if (set?.error) {
            sessionTimeout.delete(client)
            throw set.error.err
          }
          if (o.pendingCommit) q.pendingCommit = o.pendingCommit
          if (o.error) {
            const offset = codePointLength(input.sql.slice(0, stmt.start))
            error = toErrorInfo(mapSqlError(o.error, offset, q.cancelled))
            break
          }
          const fields = o.step.fields
          const columns = fields?.length ? await describeColumns(pools, fields) : null
          const held = store.hold(q, i, stmt.text, columns, join(options.spillDir, q.queryId))
          await held.rows.append(o.step.rows)
          if (o.step.suspended) q.source = { name: portal, resultIndex: i, ownTx: o.ownTx }
          // A later statement needs the connection, or the statement wrote (insert … returning) and
          // must commit now rather than when the user stops paging: read it to its end, up to the cap.
          if (o.step.suspended && (!last || o.wrote)) {
            try {
              while (q.source && held.rows.count < cap && !q.cancelled)
                await readMore(q, Math.min(FILL_PAGE, cap - held.rows.count))
            } catch (err) {
              error = toErrorInfo(err instanceof PortholeError ? err : mapSqlError(err, 0, q.cancelled))
            }
            if (q.source) {
              held.truncated = true
              notices.push(
                last
                  ? `Statement ${i + 1} changed data and returned more than ${cap.toLocaleString('en-US')} rows; it was committed and only those rows are kept.`
                  : `Statement ${i + 1} returned more than ${cap.toLocaleString('en-US')} rows; only those are kept because later statements ran on the same connection. Run it alone to page through all of it.`,
              )
              await store.dropPortal(q, false)
            }
          }
          const first = await held.rows.next(pageSize)
          results.push({
            index: i,
            statement: stmt.text,
            command: o.step.command ?? /^[A-Za-z]+/.exec(stmt.text)?.[0]?.toUpperCase() ?? null,
            rowCount: columns ? held.rows.count : o.step.rowCount,
            columns,
            rows: first.map((r) => toCells(r, columns ?? [])),
            hasMore: store.hasMore(q, i),
            truncated: held.truncated,
            changedData: o.wrote,
            durationMs: Date.now() - t0,
          })
          if (error) break
        }
      } catch (err) {
        error = toErrorInfo(mapSqlError(err, 0, q.cancelled))
      }
      if (TOUCHES_TIMEOUT.test(input.sql)) sessionTimeout.delete(client)
      client.removeListener('notice', onNotice)
      await store.finish(q, input.sql, error, notices)
      return { queryId: q.queryId, results, notices, error, durationMs: Date.now() - started }
    },

    /** Stops the server-side statement of a running query (pg_cancel_backend); closes an idle portal. */
    async cancelQuery(queryId: string): Promise<boolean> {
      if (starting.cancel(queryId)) return true
      const q = open.get(queryId)
      if (!q?.client) return false
      q.cancelled = true
      if (await store.cancelIdle(q)) return true
      const ctl = await q.pools.connect('util')
      try {
        const res = await ctl.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [q.pid])
        return res.rows[0]?.ok === true
      } finally {
        ctl.release()
      }
    },

    // Paging, export, close, activity and history: the same for every engine (held-queries.ts).
    ...heldQueryApi(store),
  }
}

export type QueryRunner = ReturnType<typeof createQueryRunner>
