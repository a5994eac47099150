// One pair of mysql2 pools per (target, tunnel port), with the PostgreSQL pools' rules
// (pool-registry.ts): `query` (max 5) holds connections for scripts, a connection staying checked
// out while its result is open; `util` (max 3) serves browsing, previews and KILL QUERY, so a cancel
// never waits behind the query it cancels. A new port retires the old pools.
import type mysql from 'mysql2'
import type { TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import { loadCa } from './ca-bundle'
import { createMySqlPool } from './mysql-connect'
import { mapMySqlConnectError } from './mysql-errors'
import type { DbTarget } from './pg-connect'
import { createTargetPoolMap } from './target-pool-map'

export interface MySqlTargetPools {
  target: DbTarget & { id: TargetId }
  localPort: number
  /** Checks out a connection, retrying once with force-refreshed credentials after AUTH_FAILED. */
  connect(kind: 'query' | 'util'): Promise<mysql.PoolConnection>
}

export interface MySqlPoolRegistryOptions {
  signerFor(target: DbTarget & { id: TargetId }): TokenSigner
  logger: Logger
  onToken?: (targetId: TargetId, issuedAt: number) => void
}

function checkout(pool: mysql.Pool): Promise<mysql.PoolConnection> {
  return new Promise((resolve, reject) =>
    pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn))),
  )
}

function endPool(pool: mysql.Pool): Promise<void> {
  return new Promise((resolve) => pool.end(() => resolve()))
}

/** Keeps MySQL pools per target and port. */
export function createMySqlPoolRegistry(options: MySqlPoolRegistryOptions) {
  const log = options.logger.child('db.mysql.pool')

  const build = (target: DbTarget & { id: TargetId }, localPort: number) => {
    let forceNext = false
    const common = {
      signer: options.signerFor(target),
      forceRefresh: () => {
        const f = forceNext
        forceNext = false
        return f
      },
      onToken: (at: number) => options.onToken?.(target.id, at),
    }
    const ctx = { rdsHost: target.rdsHost, dbUser: target.dbUser, localPort }
    // The CA is read once (a file for the simulator, else the RDS bundle); pools start after it.
    const pools: mysql.Pool[] = []
    let made: Promise<{ query: mysql.Pool; util: mysql.Pool }> | null = null
    const make = () => {
      made ??= loadCa(target).then((ca) => {
        const query = createMySqlPool(target, localPort, ca, { ...common, max: 5 })
        const util = createMySqlPool(target, localPort, ca, { ...common, max: 3 })
        pools.push(query, util)
        return { query, util }
      })
      return made
    }
    return {
      target,
      localPort,
      pools,
      async connect(kind: 'query' | 'util') {
        const { query, util } = await make()
        const pool = kind === 'query' ? query : util
        try {
          return await checkout(pool)
        } catch (err) {
          const mapped = mapMySqlConnectError(err, ctx)
          if (mapped.code !== 'AUTH_FAILED') throw mapped
          log.warn('database refused the token; retrying once with refreshed credentials', target.id)
          forceNext = true
          try {
            return await checkout(pool)
          } catch (err2) {
            throw mapMySqlConnectError(err2, ctx)
          }
        }
      },
    }
  }

  const end = async (p: { pools: mysql.Pool[] }) => {
    await Promise.allSettled(p.pools.map(endPool))
  }

  const map = createTargetPoolMap(build, end)
  return {
    get: (target: DbTarget & { id: TargetId }, localPort: number): MySqlTargetPools =>
      map.get(target, localPort),
    /** Physical connections the target's pools hold (mysql2 keeps the list internally). */
    connections(targetId: TargetId): number {
      const p = map.peek(targetId)
      if (!p) return 0
      return p.pools.reduce(
        (n, pool) =>
          n + ((pool as unknown as { _allConnections?: { length: number } })._allConnections?.length ?? 0),
        0,
      )
    },
    close: map.close,
    closeAll: map.closeAll,
  }
}

export type MySqlPoolRegistry = ReturnType<typeof createMySqlPoolRegistry>
