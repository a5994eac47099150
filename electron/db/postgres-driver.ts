// The PostgreSQL driver: pools per tunnel, catalog browsing, the cursor-based query runner, exports.
import type { QueryEvent } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import type { DbDriver } from './driver'
import { exportResult } from './export-result'
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
  })
  return {
    listSchema: (target, port) => listSchema(pools.get(target, port)),
    describeTable: (target, port, schema, name) => describeTable(pools.get(target, port), schema, name),
    previewTable: (target, port, schema, name, offset, limit) =>
      previewTable(pools.get(target, port), schema, name, offset, limit),
    runQuery: (target, port, input) => runner.runQuery(pools.get(target, port), input),
    hasQuery: (queryId) => runner.has(queryId),
    fetchRows: (queryId, resultIndex, count) => runner.fetchRows(queryId, resultIndex, count),
    cancelQuery: (queryId) => runner.cancelQuery(queryId),
    closeQuery: (queryId) => runner.closeQuery(queryId),
    exportResult: (target, port, input, dir) => exportResult(pools.get(target, port), input, dir),
    countRows: (target, port, schema, name) => countRows(pools.get(target, port), schema, name),
    listHistory: (targetId) => runner.listHistory(targetId),
    async closeTarget(targetId) {
      await runner.closeTarget(targetId)
      await pools.close(targetId)
    },
    async closeAll() {
      await runner.closeAll()
      await pools.closeAll()
    },
  }
}
