// What a console query is once it has run, whatever the engine: its held result sets (held-result.ts)
// and, for at most one of them, an open source of more rows (a PostgreSQL portal, a MySQL cursor or
// text stream) on the query's connection. Paging, export, closing, the activity Disconnect asks
// about and the run history are the same for every engine, so they live here once; an engine says
// only how to read more rows, end its source, release and drop its connection (`HeldQueryEngine`).
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { Column, QueryEvent, QueryResult, RowsPage } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { toCells } from './display'
import { HeldResult, type RawRow } from './held-result'
import { createPendingStarts } from './pending-starts'

export interface HeldSet {
  statement: string
  columns: Column[] | null
  rows: HeldResult
  /** Cut at the materialise cap: the rest was never read. */
  truncated: boolean
  /** Why the rest of the open source could not be read any more, if it could not. */
  lost: string | null
}

/** The engine-neutral part of an open query; engines add their connection and source details. */
export interface HeldQuery<Source extends { resultIndex: number }> {
  queryId: string
  targetId: TargetId
  cancelled: boolean
  /** The script, a page read or an export is in progress. */
  running: boolean
  scriptDone: boolean
  /** Where more rows of one held result come from, while it is open. */
  source: Source | null
  held: Map<number, HeldSet>
}

/** What an engine supplies: reading from its source, and the life of its connection. */
export interface HeldQueryEngine<Q> {
  /** Reads up to `count` more rows of the open source into its held result and returns them. */
  readMore(q: Q, count: number): Promise<RawRow[]>
  /** Ends the open source (and releases the connection when the script is done). */
  dropSource(q: Q): Promise<void>
  /** Returns the connection to its pool, rolling back a transaction the script left open. */
  release(q: Q, notices?: string[]): Promise<void>
  /** Drops the connection outright (target closing): a running statement dies with it. */
  destroyConnection(q: Q): void
}

/** Queries kept with their results at most; the oldest idle ones are forgotten past it. */
const MAX_HELD_QUERIES = 64
const MAX_PAGE = 10_000
/** Rows read from a source per step when filling a result or exporting it. */
export const FILL_PAGE = 5_000

/** Clamps a requested page size to 1…10,000. */
export const pageSizeOf = (n: number): number => Math.max(1, Math.min(MAX_PAGE, Math.floor(n) || 1))

/** Creates the held queries of one engine. */
export function createHeldQueries<Q extends HeldQuery<{ resultIndex: number }>>(
  engine: HeldQueryEngine<Q>,
  options: { logger: Logger; onEvent?: (event: QueryEvent) => void; historySize?: number },
) {
  const open = new Map<string, Q>()
  // Queries still waiting for a connection (a cancel meanwhile is honoured once connected).
  const starting = createPendingStarts()
  const history = new Map<TargetId, Array<{ sql: string; at: number; ok: boolean }>>()
  const historySize = options.historySize ?? 200
  const emit = (event: QueryEvent) => options.onEvent?.(event)

  const hasMore = (q: Q, index: number): boolean => {
    const h = q.held.get(index)
    return Boolean(h && (h.rows.served < h.rows.count || q.source?.resultIndex === index))
  }
  const cellsOf = (rows: RawRow[], held: HeldSet) => rows.map((r) => toCells(r, held.columns ?? []))

  const forget = async (q: Q): Promise<void> => {
    open.delete(q.queryId)
    if (q.source) await engine.dropSource(q).catch(() => undefined)
    await engine.release(q)
    await Promise.all([...q.held.values()].map((h) => h.rows.dispose()))
  }

  /** Drops matching queries' connections; held rows stay exportable unless `dispose` (shutdown). */
  const destroyWhere = async (match: (q: Q) => boolean, dispose: boolean): Promise<void> => {
    const doomed = [...open.values()].filter(match)
    for (const q of doomed) {
      const set = q.source ? q.held.get(q.source.resultIndex) : undefined
      if (set) set.lost = 'the connection to the database closed'
      q.source = null
      q.scriptDone = true
      engine.destroyConnection(q)
      if (dispose) open.delete(q.queryId)
    }
    if (dispose) await Promise.all(doomed.flatMap((q) => [...q.held.values()].map((h) => h.rows.dispose())))
  }

  /** The query's entry and held result, or NOT_FOUND / CONFLICT errors the UI can show. */
  const heldOf = (queryId: string, resultIndex: number, gone: string): { q: Q; held: HeldSet } => {
    const q = open.get(queryId)
    const held = q?.held.get(resultIndex)
    if (!q || !held) throw PortholeError.of('NOT_FOUND', gone)
    return { q, held }
  }

  return {
    open,
    starting,
    hasMore,
    emit,

    /** Registers a query that just got its connection; forgets the oldest idle ones past the cap. */
    add(q: Q): Q {
      open.set(q.queryId, q)
      for (const old of open.values()) {
        if (open.size <= MAX_HELD_QUERIES) break
        if (!old.running && !old.source) void forget(old)
      }
      emit({ queryId: q.queryId, kind: 'started' })
      return q
    },

    /** Starts holding result `index` of `q` (rows spill under `spillDir` past the memory budget). */
    hold(q: Q, index: number, statement: string, columns: Column[] | null, spillDir: string): HeldSet {
      const set: HeldSet = {
        statement,
        columns,
        rows: new HeldResult(spillDir),
        truncated: false,
        lost: null,
      }
      q.held.set(index, set)
      return set
    },

    /** Ends a script run: keeps the connection while a source is open, records and announces it. */
    async finish(q: Q, sql: string, error: QueryResult['error'], notices: string[]): Promise<void> {
      q.running = false
      if (q.source) q.scriptDone = true
      else await engine.release(q, notices)
      const list = history.get(q.targetId) ?? []
      list.unshift({ sql, at: Date.now(), ok: !error })
      if (list.length > historySize) list.length = historySize
      history.set(q.targetId, list)
      const kind = error ? (error.code === 'QUERY_CANCELLED' ? 'cancelled' : 'failed') : 'finished'
      emit({ queryId: q.queryId, kind, message: error?.message })
      if (error) options.logger.debug(`query ${q.queryId} ended with ${error.code}`, q.targetId)
    },

    /** The error a script reports when a cancel landed between two of its statements. */
    cancelledError: () => toErrorInfo(PortholeError.of('QUERY_CANCELLED', 'The query was cancelled.')),

    /** Closes an idle query's source and connection on cancel; false when it is running. */
    async cancelIdle(q: Q): Promise<boolean> {
      if (q.running) return false
      if (q.source) await engine.dropSource(q)
      await engine.release(q)
      emit({ queryId: q.queryId, kind: 'cancelled' })
      return true
    },

    /** Reads the next `count` rows of a held result: held rows first, then its open source. */
    async fetchRows(queryId: string, resultIndex: number, count: number): Promise<RowsPage> {
      const { q, held } = heldOf(queryId, resultIndex, `No result ${resultIndex} for query ${queryId}.`)
      if (q.running) throw PortholeError.of('CONFLICT', `Query ${queryId} is still reading.`)
      q.running = true
      try {
        const n = pageSizeOf(count)
        if (held.rows.served >= held.rows.count && q.source?.resultIndex === resultIndex)
          await engine.readMore(q, n)
        return { rows: cellsOf(await held.rows.next(n), held), hasMore: hasMore(q, resultIndex) }
      } finally {
        q.running = false
      }
    },

    /**
     * Hands every row of a held result to `onRows` in order: the held rows, then the rest of its
     * open source (kept for the grid as well). Never runs SQL; `note` says what could not be written.
     */
    async readAll(
      queryId: string,
      resultIndex: number,
      onRows: (rows: RawRow[]) => Promise<void>,
      onColumns: (columns: Column[]) => Promise<void>,
    ): Promise<{ complete: boolean; note: string | null }> {
      const gone = `Result ${resultIndex} of query ${queryId} is no longer held; run it again.`
      const { q, held } = heldOf(queryId, resultIndex, gone)
      if (!held.columns) throw PortholeError.of('VALIDATION', 'That statement returned no rows to export.')
      if (q.running) throw PortholeError.of('CONFLICT', `Query ${queryId} is still running.`)
      q.running = true
      try {
        await onColumns(held.columns)
        await held.rows.each(onRows)
        while (q.source?.resultIndex === resultIndex) {
          let batch: RawRow[]
          try {
            batch = await engine.readMore(q, FILL_PAGE)
          } catch {
            break // `held.lost` says why; a failing write (onRows) is not caught here
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

    /** Which target and statement a held result belongs to; null when it is not held. */
    heldInfo(queryId: string, resultIndex: number): { targetId: TargetId; statement: string } | null {
      const q = open.get(queryId)
      const held = q?.held.get(resultIndex)
      return q && held ? { targetId: q.targetId, statement: held.statement } : null
    },

    /** Releases the source, connection and held rows of a query. */
    async closeQuery(queryId: string): Promise<boolean> {
      const q = open.get(queryId)
      if (!q || q.running) return false
      await forget(q)
      return true
    },

    /** Whether the query is waiting, running, holds an open source or held results. */
    has: (queryId: string): boolean => open.has(queryId) || starting.has(queryId),

    /** Running scripts and open results of a target (Disconnect asks before ending them). */
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
    /** Drops every query's connection of a target (before its pools end); held rows stay. */
    closeTarget: (targetId: TargetId) => destroyWhere((q) => q.targetId === targetId, false),
    /** Drops everything (app shutdown). */
    closeAll: () => destroyWhere(() => true, true),
  }
}

export type HeldQueries<Q extends HeldQuery<{ resultIndex: number }>> = ReturnType<
  typeof createHeldQueries<Q>
>

/** The part of a runner's API that held queries serve alone. */
export function heldQueryApi<Q extends HeldQuery<{ resultIndex: number }>>(held: HeldQueries<Q>) {
  const { fetchRows, readAll, heldInfo, closeQuery, has, activity, listHistory, closeTarget, closeAll } = held
  return { fetchRows, readAll, heldInfo, closeQuery, has, activity, listHistory, closeTarget, closeAll }
}
