// A DbDriver from an engine's parts: its pools per tunnel, its query runner (held results over
// held-queries.ts) and its catalog functions. The wiring (exports through the held result, activity,
// closing order) is the same for every engine, so it is written once here.
import { PortholeError } from '../../shared/errors'
import type { QueryResult, SchemaTree, TableDetails, TablePreview } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { DbDriver } from './driver'
import { writeHeldResult } from './export-result'
import type { HeldQueries, HeldQuery } from './held-queries'

type RunnerApi = Pick<
  HeldQueries<HeldQuery<{ resultIndex: number }>>,
  | 'fetchRows'
  | 'readAll'
  | 'heldInfo'
  | 'closeQuery'
  | 'has'
  | 'activity'
  | 'listHistory'
  | 'closeTarget'
  | 'closeAll'
>

export interface DriverParts<P> {
  pools: {
    /** The pools of a target on the tunnel at `localPort`. */
    get(target: Target, localPort: number): P
    connections(targetId: TargetId): number
    close(targetId: TargetId): Promise<void>
    closeAll(): Promise<void>
  }
  runner: RunnerApi & {
    runQuery(pools: P, input: Parameters<DbDriver['runQuery']>[2]): Promise<QueryResult>
    cancelQuery(queryId: string): Promise<boolean>
  }
  catalog: {
    listSchema(pools: P): Promise<SchemaTree>
    describeTable(pools: P, schema: string, name: string): Promise<TableDetails>
    previewTable(pools: P, schema: string, name: string, offset: number, limit: number): Promise<TablePreview>
    countRows?(pools: P, schema: string, name: string): Promise<{ count: number; durationMs: number }>
  }
  /** Opens one pooled connection ahead of the first query, if the engine does that. */
  prewarm?(pools: P): Promise<void>
}

/** Composes the driver of one engine. */
export function composeDriver<P>({ pools, runner, catalog, prewarm }: DriverParts<P>): DbDriver {
  const { countRows } = catalog
  return {
    listSchema: (target, port) => catalog.listSchema(pools.get(target, port)),
    describeTable: (target, port, schema, name) =>
      catalog.describeTable(pools.get(target, port), schema, name),
    previewTable: (target, port, schema, name, offset, limit) =>
      catalog.previewTable(pools.get(target, port), schema, name, offset, limit),
    countRows:
      countRows && ((target, port, schema, name) => countRows(pools.get(target, port), schema, name)),
    runQuery: (target, port, input) => runner.runQuery(pools.get(target, port), input),
    hasQuery: (queryId) => runner.has(queryId),
    fetchRows: (queryId, resultIndex, count) => runner.fetchRows(queryId, resultIndex, count),
    cancelQuery: (queryId) => runner.cancelQuery(queryId),
    closeQuery: (queryId) => runner.closeQuery(queryId),
    // Exports write the held result: no SQL runs again (issue 10).
    async exportResult(input, destination) {
      const info = runner.heldInfo(input.queryId, input.resultIndex)
      if (!info)
        throw PortholeError.of(
          'NOT_FOUND',
          `Result ${input.resultIndex} of query ${input.queryId} is no longer held; run it again.`,
        )
      const dest = await destination(info.statement)
      if (!dest) return { path: null, rows: 0, complete: false, note: 'Export cancelled.' }
      const { queryId, resultIndex, format } = input
      const written = await writeHeldResult(runner, queryId, resultIndex, format, dest.path, dest.exclusive)
      return { path: dest.path, ...written }
    },
    heldTarget: (queryId, resultIndex) => runner.heldInfo(queryId, resultIndex)?.targetId ?? null,
    activity: (targetId) => ({ ...runner.activity(targetId), connections: pools.connections(targetId) }),
    listHistory: (targetId) => runner.listHistory(targetId),
    prewarm: prewarm && ((target, port) => prewarm(pools.get(target, port))),
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
