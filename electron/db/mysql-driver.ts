// The MySQL/MariaDB driver (Aurora MySQL included): pools per tunnel, information_schema browsing,
// the streaming query runner and exports, behind the same DbDriver seam as PostgreSQL.
import type { QueryEvent } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import { composeDriver } from './compose-driver'
import type { DbDriver } from './driver'
import { createMySqlPoolRegistry } from './mysql-pools'
import { createMySqlQueryRunner } from './mysql-query-runner'
import { describeMySqlTable, listMySqlSchema, previewMySqlTable } from './mysql-schema'

export interface MySqlDriverOptions {
  signerFor(target: Target): TokenSigner
  logger: Logger
  onQueryEvent?: (event: QueryEvent) => void
  onTokenIssued?: (targetId: TargetId, issuedAt: number) => void
  statementTimeoutMs?: number
  /** Private folder for spill files of large held results. */
  spillDir: string
  materialiseCap?: number
}

/** Creates the MySQL driver. */
export function createMySqlDriver(options: MySqlDriverOptions): DbDriver {
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
