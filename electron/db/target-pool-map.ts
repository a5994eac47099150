// The pools of each target, for PostgreSQL and MySQL alike: one entry per target, kept while the
// tunnel port and every connection fact stay the same, retired (ended in the background) when a
// reopened tunnel or an edited target needs new ones.
import type { TargetId } from '../../shared/target-schema'
import type { DbTarget } from './pg-connect'

type PoolTarget = DbTarget & { id: TargetId }

/** Whether pools built for `a` on `portA` still serve `b` on `portB`. */
function samePools(a: PoolTarget, portA: number, b: PoolTarget, portB: number): boolean {
  return (
    portA === portB &&
    a.rdsHost === b.rdsHost &&
    a.rdsPort === b.rdsPort &&
    a.dbUser === b.dbUser &&
    a.database === b.database &&
    a.caFile === b.caFile
  )
}

/** Entries built by `build`, ended by `end`, one per target. */
export function createTargetPoolMap<E extends { target: PoolTarget; localPort: number }>(
  build: (target: PoolTarget, localPort: number) => E,
  end: (entry: E) => Promise<void>,
) {
  const byTarget = new Map<TargetId, E>()
  return {
    /** The pools for `target` on `localPort`, creating them (and retiring stale ones) as needed. */
    get(target: PoolTarget, localPort: number): E {
      const existing = byTarget.get(target.id)
      if (existing && samePools(existing.target, existing.localPort, target, localPort)) return existing
      if (existing) void end(existing)
      const created = build(target, localPort)
      byTarget.set(target.id, created)
      return created
    },
    /** The target's current entry, if any. */
    peek: (targetId: TargetId): E | undefined => byTarget.get(targetId),
    async close(targetId: TargetId): Promise<void> {
      const entry = byTarget.get(targetId)
      byTarget.delete(targetId)
      if (entry) await end(entry)
    },
    async closeAll(): Promise<void> {
      const all = [...byTarget.values()]
      byTarget.clear()
      await Promise.all(all.map(end))
    },
  }
}
