// The PostgreSQL driver: pools per tunnel, catalog browsing, the cursor-based query runner, exports.

import type { QueryEvent } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import { composeDriver } from './compose-driver'
import type { DbDriver } from './driver'
import { createPoolRegistry } from './pool-registry'
import { createQueryRunner } from './query-runner'
import { describeTable, listSchema, previewTable } from './schema-browser'
import { countRows } from './schema-details'

export interface PostgresDriverOptions {
  signerFor(target: Target): TokenSigner
  logger: Logger
  onQueryEvent?: (event: QueryEvent) => void
  onTokenIssued?: (targetId: TargetId, issuedAt: number) => void
  statementTimeoutMs?: number
  /** Private folder for spill files of large held results. */
  spillDir: string
  materialiseCap?: number
}

/** Creates the PostgreSQL driver. */
export function createPostgresDriver(options: PostgresDriverOptions): DbDriver {
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
      p.warming ??= p.connect('query').then((client) => client.release())
      await p.warming
    },
  })
}
