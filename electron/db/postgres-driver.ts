// The PostgreSQL driver: pools per tunnel, catalog browsing, the cursor-based query runner, exports.

import type { Target } from '../../shared/target-schema'
import { composeDriver } from './compose-driver'
import type { DbDriver, DriverOptions } from './driver'
import { createPoolRegistry } from './pool-registry'
import { createQueryRunner } from './query-runner'
import { describeTable, listSchema, previewTable } from './schema-browser'
import { countRows } from './schema-details'

/** Creates the PostgreSQL driver. */
export function createPostgresDriver(options: DriverOptions): DbDriver {
  const pools = createPoolRegistry({
    signerFor: (t) => options.signerFor(t as Target),
    logger: options.logger,
    onToken: options.onTokenIssued,
  })
  const runner = createQueryRunner({
    logger: options.logger,
    onEvent: options.onQueryEvent,
    statementTimeoutMs: options.statementTimeoutMs,
    spillDir: options.spillDir,
    materialiseCap: options.materialiseCap,
  })
  return composeDriver({
    pools,
    runner,
    catalog: { listSchema, describeTable, previewTable, countRows },
    async prewarm(p) {
      await p.warm()
    },
  })
}
