// Runs SQL scripts: statements in order on one dedicated client, each as one pipelined batch
// (statement-exec.ts). Every result set is held (held-result.ts) until the query is closed, so the
// grid can page it to its end and an export writes exactly those rows without running SQL again.
// The script's final statement keeps its portal open for paging; earlier statements are read to
// their end up to MATERIALISE_CAP rows (a later statement needs the connection), past which the
// result is marked `truncated` with a way to run that statement alone. Cancel uses
// pg_cancel_backend on another client.
import { join } from 'node:path'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { Column, QueryEvent, QueryResult, RowsPage, StatementResult } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { toCells } from './display'
import type { RawRow } from './held-result'
import { type BatchResult, runBatch } from './pg-batch'
import { mapSqlError } from './pg-errors'
import type { TargetPools } from './pool-registry'
import { createQueryStore, type OpenQuery } from './query-store'
import { codePointLength, splitSql } from './sql-splitter'
import { fetchPortal, openStatement } from './statement-exec'
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

const MAX_PAGE = 10_000
const FILL_PAGE = 5_000
// The session's statement_timeout as we last set it, per connection: set again only when it differs.
const sessionTimeout = new WeakMap<object, number>()
const TOUCHES_TIMEOUT = /statement_timeout|reset\s+all|discard\s+all|session\s+authorization|set\s+role/i

/** Creates the query engine shared by all targets. */
export function createQueryRunner(options: QueryRunnerOptions) {
  const store = createQueryStore()
  const { open, starting } = store
  const history = new Map<TargetId, Array<{ sql: string; at: number; ok: boolean }>>()
  const log = options.logger.child('db.query')
  const emit = (event: QueryEvent) => options.onEvent?.(event)
  const historySize = options.historySize ?? 200
  const cap = options.materialiseCap ?? 100_000
  let portals = 0

  const remember = (targetId: TargetId, sql: string, ok: boolean) => {
    const list = history.get(targetId) ?? []
    list.unshift({ sql, at: Date.now(), ok })
    if (list.length > historySize) list.length = historySize
    history.set(targetId, list)
  }
  const pageSizeOf = (n: number) => Math.max(1, Math.min(MAX_PAGE, Math.floor(n) || 1))
  const cellsOf = (rows: RawRow[], held: { columns: StatementResult['columns'] }) =>
    rows.map((r) => toCells(r, held.columns ?? []))

  /** Reads the open portal of `q` into its held result; false when the portal is exhausted. */
  const readMore = async (q: OpenQuery, count: number): Promise<RawRow[]> => {
    const p = q.portal
    if (!p || !q.client) return []
    const held = q.held.get(p.resultIndex)!
    const r = await fetchPortal(q.client, p.name, count)
    if (r.error) {
      held.lost = `the server ended the statement: ${(r.error as Error).message}`
      await store.dropPortal(q, true)
      throw mapSqlError(r.error, 0, q.cancelled)
    }
    await held.rows.append(r.step.rows)
    if (!r.step.suspended) await store.dropPortal(q, false)
    return r.step.rows
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
      const { value: client, cancelled: cancelledEarly } = await starting.wait(input.queryId, () =>
        pools.connect('query'),
      )
      const q = store.add({
        queryId: input.queryId,
        targetId,
        pools,
        client,
        pid: (client as unknown as { processID: number }).processID,
        cancelled: cancelledEarly,
      })
      const notices: string[] = []
      const onNotice = (n: { severity?: string; message?: string }) => {
        const text = `${n.severity ?? 'NOTICE'}: ${n.message}`
        notices.push(text)
        emit({ queryId: q.queryId, kind: 'notice', message: text })
      }
      client.on('notice', onNotice)
      emit({ queryId: q.queryId, kind: 'started' })
      const results: StatementResult[] = []
      let error: QueryResult['error'] = null
      try {
        const timeout = Math.max(0, Math.floor(input.statementTimeoutMs ?? options.statementTimeoutMs ?? 0))
        // Written right ahead of the first statement's batch (its own Sync, so no transaction of
        // ours can roll it back): a fresh connection pays no extra round trip for it.
        let setTimeoutFirst: Promise<BatchResult> | null = null
        if (sessionTimeout.get(client) !== timeout) {
          setTimeoutFirst = runBatch(client, [{ kind: 'exec', text: `SET statement_timeout = ${timeout}` }])
          sessionTimeout.set(client, timeout)
        }
        for (const [i, stmt] of statements.entries()) {
          // A cancel that landed between two statements must still stop the script.
          if (q.cancelled) {
            error = toErrorInfo(PortholeError.of('QUERY_CANCELLED', 'The query was cancelled.'))
            break
          }
          const t0 = Date.now()
          const last = i === statements.length - 1
          const portal = `porthole_${++portals}`
          const o = await openStatement(client, stmt.text, portal, pageSize, last)
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
          if (o.step.suspended) q.portal = { name: portal, resultIndex: i, ownTx: o.ownTx }
          // A later statement needs the connection, or the statement wrote (insert … returning) and
          // must commit now rather than when the user stops paging: read it to its end, up to the cap.
          if (o.step.suspended && (!last || o.wrote)) {
            try {
              while (q.portal && held.rows.count < cap && !q.cancelled)
                await readMore(q, Math.min(FILL_PAGE, cap - held.rows.count))
            } catch (err) {
              error = toErrorInfo(err instanceof PortholeError ? err : mapSqlError(err, 0, q.cancelled))
            }
            if (q.portal) {
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
            rows: cellsOf(first, held),
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
      q.running = false
      client.removeListener('notice', onNotice)
      if (q.portal) q.scriptDone = true
      else await store.release(q, notices)
      remember(targetId, input.sql, !error)
      const kind = error ? (error.code === 'QUERY_CANCELLED' ? 'cancelled' : 'failed') : 'finished'
      emit({ queryId: q.queryId, kind, message: error?.message })
      if (error) log.debug(`query ${q.queryId} ended with ${error.code}`, targetId)
      return { queryId: q.queryId, results, notices, error, durationMs: Date.now() - started }
    },

    /** Reads the next `count` rows of a held result: held rows first, then its open portal. */
    async fetchRows(queryId: string, resultIndex: number, count: number): Promise<RowsPage> {
      const q = open.get(queryId)
      const held = q?.held.get(resultIndex)
      if (!q || !held) throw PortholeError.of('NOT_FOUND', `No result ${resultIndex} for query ${queryId}.`)
      if (q.running) throw PortholeError.of('CONFLICT', `Query ${queryId} is still reading.`)
      q.running = true
      try {
        const n = pageSizeOf(count)
        if (held.rows.served >= held.rows.count && q.portal?.resultIndex === resultIndex) await readMore(q, n)
        const rows = cellsOf(await held.rows.next(n), held)
        return { rows, hasMore: store.hasMore(q, resultIndex) }
      } finally {
        q.running = false
      }
    },

    /**
     * Hands every row of a held result to `onRows` in order: the held rows, then the rest of its
     * open portal (kept for the grid as well). Never runs SQL; `note` says what could not be written.
     */
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
        while (q.portal?.resultIndex === resultIndex) {
          try {
            await onRows(await readMore(q, FILL_PAGE))
          } catch {
            break
          }
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

    /** Which target and statement a held result belongs to; null when it is not held. */
    heldInfo(queryId: string, resultIndex: number): { targetId: TargetId; statement: string } | null {
      const q = open.get(queryId)
      const held = q?.held.get(resultIndex)
      return q && held ? { targetId: q.targetId, statement: held.statement } : null
    },

    /** Stops the server-side statement of a running query (pg_cancel_backend); closes an idle portal. */
    async cancelQuery(queryId: string): Promise<boolean> {
      if (starting.cancel(queryId)) return true
      const q = open.get(queryId)
      if (!q?.client) return false
      q.cancelled = true
      if (!q.running) {
        if (q.portal) await store.dropPortal(q, false)
        await store.release(q)
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

    /** Releases the portal, client and held rows of a query. */
    async closeQuery(queryId: string): Promise<boolean> {
      const q = open.get(queryId)
      if (!q || q.running) return false
      await store.forget(q)
      return true
    },

    /** Whether the query is running, holds an open portal or held results. */
    has: (queryId: string): boolean => open.has(queryId) || starting.has(queryId),
    /** Running scripts and held results of a target (Disconnect asks before ending them). */
    activity: (targetId: TargetId) => store.activity(targetId),
    listHistory: (targetId: TargetId) => [...(history.get(targetId) ?? [])],
    /** Closes every query of a target (before its pools end). */
    closeTarget: (targetId: TargetId) => store.destroyWhere((q) => q.targetId === targetId, false),
    closeAll: () => store.destroyWhere(() => true, true),
  }
}

export type QueryRunner = ReturnType<typeof createQueryRunner>
