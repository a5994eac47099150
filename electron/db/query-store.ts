// PostgreSQL's side of the held queries (held-queries.ts): an open query keeps its pooled client
// while it runs or keeps a portal open. Releasing a client settles a COMMIT still in flight and
// rolls back a transaction the script itself left open; more rows come from the portal.
import type pg from 'pg'
import type { QueryEvent } from '../../shared/ipc/models'
import type { Logger } from '../base/logger'
import { createHeldQueries, type HeldQuery } from './held-queries'
import type { RawRow } from './held-result'
import type { BatchResult } from './pg-batch'
import { runBatch } from './pg-batch'
import { mapSqlError } from './pg-errors'
import type { TargetPools } from './pool-registry'
import { endPortal, fetchPortal } from './statement-exec'

/** The portal a held result is paged from; `ownTx`: we opened its read-only transaction. */
export interface PgPortal {
  name: string
  resultIndex: number
  ownTx: boolean
}

export interface OpenQuery extends HeldQuery<PgPortal> {
  pools: TargetPools
  /** Null once released (results stay held). */
  client: pg.PoolClient | null
  pid: number
  pendingCommit: Promise<BatchResult> | null
}

/** Creates the PostgreSQL runner's registry of open queries. */
export function createQueryStore(options: {
  logger: Logger
  onEvent?: (event: QueryEvent) => void
  historySize?: number
}) {
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

  /** Ends the open portal: `failed` after a server error (its transaction is already aborted). */
  const dropPortal = async (q: OpenQuery, failed: boolean): Promise<void> => {
    const p = q.source
    q.source = null
    if (!p || !q.client) return
    if (failed) {
      if (p.ownTx) await runBatch(q.client, [{ kind: 'exec', text: 'ROLLBACK' }])
    } else await endPortal(q.client, p.name, p.ownTx)
    if (q.scriptDone) await release(q)
  }

  /** Reads the open portal of `q` into its held result. */
  const readMore = async (q: OpenQuery, count: number): Promise<RawRow[]> => {
    const p = q.source
    const held = p ? q.held.get(p.resultIndex) : undefined
    if (!p || !held || !q.client) return []
    const r = await fetchPortal(q.client, p.name, count)
    if (r.error) {
      held.lost = `the server ended the statement: ${(r.error as Error).message}`
      await dropPortal(q, true)
      throw mapSqlError(r.error, 0, q.cancelled)
    }
    await held.rows.append(r.step.rows)
    if (!r.step.suspended) await dropPortal(q, false)
    return r.step.rows
  }

  const held = createHeldQueries<OpenQuery>(
    {
      readMore,
      dropSource: (q) => dropPortal(q, false),
      release,
      destroyConnection: (q) => {
        q.client?.release(true)
        q.client = null
      },
    },
    options,
  )
  return { ...held, readMore, dropPortal, release }
}
