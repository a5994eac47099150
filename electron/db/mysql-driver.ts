// The MySQL/MariaDB driver (Aurora MySQL included): pools per tunnel, information_schema browsing,
// the streaming query runner and exports, behind the same DbDriver seam as PostgreSQL.
import type { Target } from '../../shared/target-schema'
import { composeDriver } from './compose-driver'
import type { DbDriver, DriverOptions } from './driver'
import { createMySqlPoolRegistry } from './mysql-pools'
import { createMySqlQueryRunner } from './mysql-query-runner'
import { describeMySqlTable, listMySqlSchema, previewMySqlTable } from './mysql-schema'

/** Creates the MySQL driver. */
export function createMySqlDriver(options: DriverOptions): DbDriver {
  const pools = createMySqlPoolRegistry({
    signerFor: (t) => options.signerFor(t as Target),
    logger: options.logger,
    onToken: options.onTokenIssued,
  })
  const runner = createMySqlQueryRunner({
    logger: options.logger,
    onEvent: options.onQueryEvent,
    statementTimeoutMs: options.statementTimeoutMs,
    spillDir: options.spillDir,
    materialiseCap: options.materialiseCap,
  })
  return composeDriver({
    pools,
    runner,
    catalog: {
      listSchema: listMySqlSchema,
      describeTable: describeMySqlTable,
      previewTable: previewMySqlTable,
    },
  })
}
