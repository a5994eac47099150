// The MySQL/MariaDB driver (Aurora MySQL included): pools per tunnel, information_schema browsing,
// the streaming query runner and exports, behind the same DbDriver seam as PostgreSQL.
import { PortholeError } from '../../shared/errors'
import type { QueryEvent } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import type { DbDriver } from './driver'
import { writeHeldResult } from './export-result'
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
  return {
    listSchema: (target, port) => listMySqlSchema(pools.get(target, port)),
    describeTable: (target, port, schema, name) => describeMySqlTable(pools.get(target, port), schema, name),
    previewTable: (target, port, schema, name, offset, limit) =>
      previewMySqlTable(pools.get(target, port), schema, name, offset, limit),
    runQuery: (target, port, input) => runner.runQuery(pools.get(target, port), input),
    hasQuery: (queryId) => runner.has(queryId),
    fetchRows: (queryId, resultIndex, count) => runner.fetchRows(queryId, resultIndex, count),
    cancelQuery: (queryId) => runner.cancelQuery(queryId),
    closeQuery: (queryId) => runner.closeQuery(queryId),
    // Exports write the held result (no SQL runs again), exactly as for PostgreSQL.
    async exportResult(input, destination) {
      const info = runner.heldInfo(input.queryId, input.resultIndex)
      if (!info)
        throw PortholeError.of(
          'NOT_FOUND',
          `Result ${input.resultIndex} of query ${input.queryId} is no longer held; run it again.`,
        )
      const dest = await destination(info.statement)
      if (!dest) return { path: null, rows: 0, complete: false, note: 'Export cancelled.' }
      const written = await writeHeldResult(
        runner,
        input.queryId,
        input.resultIndex,
        input.format,
        dest.path,
        dest.exclusive,
      )
      return { path: dest.path, ...written }
    },
    heldTarget: (queryId, resultIndex) => runner.heldInfo(queryId, resultIndex)?.targetId ?? null,
    activity: (targetId) => ({ ...runner.activity(targetId), connections: pools.connections(targetId) }),
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
