// One pair of pools per (target, tunnel port): `query` holds clients for running scripts (a client
// stays checked out while its cursor is open), `util` serves schema browsing, previews, type names
// and pg_cancel_backend so a cancel never waits behind the query it cancels.
import type pg from 'pg'
import type { TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import { type AuthPipelining, createPgPool, type DbTarget, tlsFor } from './pg-connect'
import { mapConnectError } from './pg-errors'
import { createTargetPoolMap } from './target-pool-map'

export interface TargetPools {
  key: string
  target: DbTarget & { id: TargetId }
  localPort: number
  query: pg.Pool
  util: pg.Pool
  typeNames: Map<number, string>
  /** The prewarm connection in flight: the first query waits for it rather than dialling a second. */
  warming: Promise<void> | null
  /** Checks out a client, retrying once with force-refreshed credentials after AUTH_FAILED. */
  connect(kind: 'query' | 'util'): Promise<pg.PoolClient>
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
    const pools: TargetPools = {
      key: `${target.id}:${localPort}`,
      target,
      localPort,
      query: createPgPool(target, localPort, { ...common, max: 5 }),
      util: createPgPool(target, localPort, { ...common, max: 3 }),
      typeNames: new Map(),
      warming: null,
      async connect(kind) {
        if (kind === 'query' && pools.warming) await pools.warming.catch(() => undefined)
        const pool = kind === 'query' ? pools.query : pools.util
        const ctx = { rdsHost: target.rdsHost, dbUser: target.dbUser, localPort }
        await tls.ready
        const pipelined = common.pipelining.enabled
        try {
          return await pool.connect()
        } catch (err) {
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
