// The PostgreSQL driver: pools per tunnel, catalog browsing, the cursor-based query runner, exports.

import { PortholeError } from '../../shared/errors'
import type { QueryEvent } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import type { DbDriver } from './driver'
import { writeHeldResult } from './export-result'
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
    countRows: (target, port, schema, name) => countRows(pools.get(target, port), schema, name),
    listHistory: (targetId) => runner.listHistory(targetId),
    async prewarm(target, port) {
      const p = pools.get(target, port)
      p.warming ??= p.connect('query').then((client) => client.release())
      await p.warming
    },
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
