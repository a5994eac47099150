// The queries the runner holds: each with its client while it runs or keeps a portal open, and its
// held result sets until the renderer closes it (or the target closes). Releasing a client settles
// a COMMIT still in flight and rolls back a transaction the script itself left open.
import type pg from 'pg'
import type { Column } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'
import { HeldResult } from './held-result'
import { createPendingStarts } from './pending-starts'
import type { BatchResult } from './pg-batch'
import { runBatch } from './pg-batch'
import type { TargetPools } from './pool-registry'
import { endPortal } from './statement-exec'

export interface HeldSet {
  statement: string
  columns: Column[] | null
  rows: HeldResult
  /** Cut at the materialise cap: the rest was never read. */
  truncated: boolean
  /** Why the rest of the portal could not be read any more, if it could not. */
  lost: string | null
}

export interface OpenQuery {
  queryId: string
  targetId: TargetId
  pools: TargetPools
  /** Null once released (results stay held). */
  client: pg.PoolClient | null
  pid: number
  cancelled: boolean
  /** The script, a page read or an export is in progress. */
  running: boolean
  scriptDone: boolean
  portal: { name: string; resultIndex: number; ownTx: boolean } | null
  pendingCommit: Promise<BatchResult> | null
  held: Map<number, HeldSet>
}

/** Queries kept with their results at most; the oldest idle ones are forgotten past it. */
const MAX_HELD_QUERIES = 64

/** Creates the runner's registry of open queries. */
export function createQueryStore() {
  const open = new Map<string, OpenQuery>()
  // Queries still waiting for a connection (a cancel meanwhile is honoured once connected).
  const starting = createPendingStarts()

  const release = async (q: OpenQuery, notices?: string[]): Promise<void> => {
    q.scriptDone = true
    const client = q.client
    if (!client) return
    q.client = null
    if (q.pendingCommit) {
      // Our read-only wrapper's COMMIT is on the wire and leaves the session idle: the client can
      // serve the next query now, whose batch is written right behind the COMMIT (pg-batch.ts).
      q.pendingCommit = null
      client.release()
      return
    }
    try {
      if (client.getTransactionStatus() !== 'I') {
        await client.query('ROLLBACK')
        notices?.push('The script left a transaction open; it was rolled back (runs use pooled connections).')
      }
      client.release()
    } catch (err) {
      client.release(err instanceof Error ? err : true)
    }
  }

  const disposeHeld = async (q: OpenQuery) => {
    await Promise.all([...q.held.values()].map((h) => h.rows.dispose()))
  }

  const store = {
    open,
    starting,
    add(init: Pick<OpenQuery, 'queryId' | 'targetId' | 'pools' | 'client' | 'pid' | 'cancelled'>): OpenQuery {
      const q: OpenQuery = {
        ...init,
        running: true,
        scriptDone: false,
        portal: null,
        pendingCommit: null,
        held: new Map(),
      }
      open.set(q.queryId, q)
      for (const old of open.values()) {
        if (open.size <= MAX_HELD_QUERIES) break
        if (!old.running && !old.portal) void store.forget(old)
      }
      return q
    },
    hold(
      q: OpenQuery,
      index: number,
      statement: string,
      columns: Column[] | null,
      spillDir: string,
    ): HeldSet {
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
    hasMore(q: OpenQuery, index: number): boolean {
      const h = q.held.get(index)
      return Boolean(h && (h.rows.served < h.rows.count || q.portal?.resultIndex === index))
    },
    /** Ends the open portal: `failed` after a server error (its transaction is already aborted). */
    async dropPortal(q: OpenQuery, failed: boolean): Promise<void> {
      const p = q.portal
      q.portal = null
      if (!p || !q.client) return
      if (failed) {
        if (p.ownTx) await runBatch(q.client, [{ kind: 'exec', text: 'ROLLBACK' }])
      } else await endPortal(q.client, p.name, p.ownTx)
      if (q.scriptDone) await release(q)
    },
    release,
    /** Closes the portal, releases the client and deletes the held rows. */
    async forget(q: OpenQuery): Promise<void> {
      open.delete(q.queryId)
      if (q.portal) await store.dropPortal(q, false).catch(() => undefined)
      await release(q)
      await disposeHeld(q)
    },
    /**
     * Drops matching queries' connections outright (target closing): a running statement dies. The
     * rows already held stay exportable unless `dispose` (app shutdown).
     */
    async destroyWhere(match: (q: OpenQuery) => boolean, dispose: boolean): Promise<void> {
      const doomed = [...open.values()].filter(match)
      for (const q of doomed) {
        if (q.portal) {
          const set = q.held.get(q.portal.resultIndex)
          if (set) set.lost = 'the connection to the database closed'
        }
        q.portal = null
        q.scriptDone = true
        q.client?.release(true)
        q.client = null
        if (dispose) open.delete(q.queryId)
      }
      if (dispose) await Promise.all(doomed.map(disposeHeld))
    },
    activity(targetId: TargetId): { runningQueries: number; openResults: number } {
      let runningQueries = 0
      let openResults = 0
      for (const q of open.values()) {
        if (q.targetId !== targetId) continue
        if (q.running && !q.scriptDone) runningQueries++
        if (q.portal) openResults++
      }
      return { runningQueries, openResults }
    },
  }
  return store
}
