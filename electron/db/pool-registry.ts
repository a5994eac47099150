// One pair of pools per (target, tunnel port): `query` holds clients for running scripts (a client
// stays checked out while its cursor is open), `util` serves schema browsing, previews, type names
// and pg_cancel_backend so a cancel never waits behind the query it cancels.
import type pg from 'pg'
import type { TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import { type AuthPipelining, createPgPool, type DbTarget, type EarlyQueue, tlsFor } from './pg-connect'
import { mapConnectError } from './pg-errors'
import { createTargetPoolMap } from './target-pool-map'

export interface TargetPools {
  key: string
  target: DbTarget & { id: TargetId }
  localPort: number
  query: pg.Pool
  util: pg.Pool
  typeNames: Map<number, string>
  /** Opens one query connection ahead of the first query (idempotent); settles when it is ready. */
  warm(): Promise<void>
  /** Checks out a client, retrying once with force-refreshed credentials after AUTH_FAILED. */
  connect(kind: 'query' | 'util'): Promise<pg.PoolClient>
  /**
   * Like connect('query'), but the prewarm connection may come back while still starting up
   * (`connected` set): batches given to it go out behind its IAM token. `connected` resolves to the
   * client to use: that one, or after a refused login (the server read none of them) a fresh one.
   */
  lease(): Promise<Lease>
}

export interface Lease {
  client: pg.PoolClient
  connected: Promise<pg.PoolClient> | null
}

/** The prewarm connection while it starts up, until a query claims it or it goes to the pool. */
interface WarmSlot {
  client: pg.Client & EarlyQueue
  pending: Promise<pg.PoolClient>
  pipelined: boolean
  claimed: boolean
}

export interface PoolRegistryOptions {
  signerFor(target: DbTarget & { id: TargetId }): TokenSigner
  logger: Logger
  onToken?: (targetId: TargetId, issuedAt: number) => void
}

/** Keeps pools per target and port; a new port (tunnel reopened) retires the old pools. */
export function createPoolRegistry(options: PoolRegistryOptions) {
  const log = options.logger.child('db.pool')

  const build = (target: DbTarget & { id: TargetId }, localPort: number): TargetPools => {
    let forceNext = false
    const tls = tlsFor(target)
    const common = {
      ssl: tls.ssl,
      signer: options.signerFor(target),
      forceRefresh: () => {
        const f = forceNext
        forceNext = false
        return f
      },
      onToken: (at: number) => options.onToken?.(target.id, at),
      // One round trip less per connection: the token follows the startup message (pg-connect.ts).
      pipelining: { enabled: true } as AuthPipelining,
    }
    const ctx = { rdsHost: target.rdsHost, dbUser: target.dbUser, localPort }
    /** After a failed checkout: once more when the login was refused (nothing ran), else the error. */
    const retry = async (err: unknown, pool: pg.Pool, pipelined: boolean): Promise<pg.PoolClient> => {
      const mapped = mapConnectError(err, ctx)
      // The server asked for something else than the early token: ask again the ordinary way.
      const unpipelined = pipelined && !common.pipelining.enabled
      if (mapped.code !== 'AUTH_FAILED' && !unpipelined) throw mapped
      log.warn(`database refused the token; retrying once with refreshed credentials`, target.id)
      forceNext = true
      try {
        return await pool.connect()
      } catch (err2) {
        throw mapConnectError(err2, ctx)
      }
    }
    let created: (pg.Client & EarlyQueue) | null = null
    let slot: Promise<WarmSlot> | null = null
    /** The prewarm connection in flight: the first query waits for it rather than dialling a second. */
    let warming: Promise<void> | null = null
    const query = createPgPool(target, localPort, {
      ...common,
      max: 5,
      onCreate: (c) => {
        created = c
      },
    })
    const pools: TargetPools = {
      key: `${target.id}:${localPort}`,
      target,
      localPort,
      query,
      util: createPgPool(target, localPort, { ...common, max: 3 }),
      typeNames: new Map(),
      warm() {
        if (warming) return warming
        slot = tls.ready.then(() => {
          created = null
          const pipelined = common.pipelining.enabled
          const pending = query.connect()
          pending.catch(() => undefined) // observed through `warming` and a claimer's `connected`
          // pg-pool builds the client inside connect() when it dials (a fresh pool always does).
          const client = created as (pg.Client & EarlyQueue) | null
          if (!client) {
            pending.then(
              (c) => c.release(),
              () => undefined,
            )
            throw new Error('the pool had a connection already')
          }
          return { client, pending, pipelined, claimed: false }
        })
        warming = slot.then(async (s) => {
          const c = await s.pending
          if (!s.claimed) c.release()
        })
        return warming
      },
      async connect(kind) {
        if (kind === 'query' && warming) await warming.catch(() => undefined)
        const pool = kind === 'query' ? pools.query : pools.util
        await tls.ready
        const pipelined = common.pipelining.enabled
        try {
          return await pool.connect()
        } catch (err) {
          return retry(err, pool, pipelined)
        }
      },
      async lease() {
        const s = slot ? await slot.catch(() => null) : null
        if (!s || s.claimed || !s.client.acceptsEarly())
          return { client: await pools.connect('query'), connected: null }
        s.claimed = true
        const connected = s.pending.catch((err) => retry(err, query, s.pipelined))
        return { client: s.client as unknown as pg.PoolClient, connected }
      },
    }
    return pools
  }

  const end = async (p: TargetPools) => {
    await Promise.allSettled([p.query.end(), p.util.end()])
  }

  const map = createTargetPoolMap(build, end)
  return {
    get: map.get,
    /** Connections open (busy or idle) in a target's pools. */
    connections(targetId: TargetId): number {
      const p = map.peek(targetId)
      return p ? p.query.totalCount + p.util.totalCount : 0
    },
    close: map.close,
    closeAll: map.closeAll,
  }
}

export type PoolRegistry = ReturnType<typeof createPoolRegistry>
