// The "MySQL demo (simulated AWS)" target: added next to the PostgreSQL demo when the simulator
// found a MariaDB/MySQL server to put behind its MySQL gate; a machine without one keeps the
// PostgreSQL demo only (and says why in the log).
import { DEMO, DEMO_MYSQL } from '../../shared/demo'
import type { Target } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import type { TargetStore } from '../store/target-store'
import type { TargetRouting } from './target-routing'

/** Adds the MySQL demo target once, if the simulator serves MySQL; resolves it or null. */
export async function addMySqlDemoTarget(
  store: TargetStore,
  demo: TargetRouting,
  log: Logger,
): Promise<Target | null> {
  const existing = (await store.list()).find((t) => t.demo && t.name === DEMO_MYSQL.targetName)
  if (existing) return existing
  let available = false
  try {
    available = await demo.hasMySql()
  } catch (err) {
    log.warn(`the demo simulator did not start: ${(err as Error).message}`)
  }
  if (!available) {
    log.info('no MariaDB/MySQL at 127.0.0.1:3306, so the demo offers PostgreSQL only')
    return null
  }
  return store.save({
    name: DEMO_MYSQL.targetName,
    engine: 'mysql',
    region: DEMO.region,
    instanceId: DEMO.instanceId,
    rdsHost: DEMO_MYSQL.rdsHost,
    rdsPort: DEMO_MYSQL.rdsPort,
    database: DEMO_MYSQL.database,
    dbUser: DEMO_MYSQL.dbUser,
    demo: true,
    color: 'amber',
    tags: ['demo', 'mysql'],
  })
}
