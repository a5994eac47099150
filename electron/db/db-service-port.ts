// What the engine asks of the database layer; implemented by createDbService (db-service.ts).
import type {
  ConnectionStrings,
  QueryResult,
  RowsPage,
  SchemaTree,
  TableDetails,
  TablePreview,
} from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { ExportOutcome } from './export-result'

export interface TargetActivity {
  runningQueries: number
  openResults: number
  /** Connections the engine itself holds through the tunnel (the rest are other tools). */
  connections: number
}

/** Database work over an open tunnel. `localPort` comes from ensureTunnel. */
export interface DbService {
  /**
   * Connect in fewer round trips: resolves credentials (and signs a token) while `tunnel` opens,
   * then opens the first pooled connection as soon as it is up. Never rejects (best effort).
   */
  prewarm?(target: Target, tunnel: Promise<unknown>): Promise<void>
  listSchema(target: Target): Promise<SchemaTree>
  describeTable(target: Target, schema: string, name: string): Promise<TableDetails>
  previewTable(
    target: Target,
    schema: string,
    name: string,
    offset: number,
    limit: number,
  ): Promise<TablePreview>
  runQuery(
    target: Target,
    input: { queryId: string; sql: string; pageSize: number; statementTimeoutMs?: number },
  ): Promise<QueryResult>
  fetchRows(queryId: string, resultIndex: number, count: number): Promise<RowsPage>
  cancelQuery(queryId: string): Promise<boolean>
  closeQuery(queryId: string): Promise<boolean>
  /** Writes a held result set to a file the main side picks; never runs SQL. */
  exportResult(
    target: Target,
    input: { queryId: string; resultIndex: number; format: 'csv' | 'json' },
  ): Promise<ExportOutcome>
  /** Running scripts, open result portals and database connections of a target. */
  activity(targetId: TargetId): TargetActivity
  countRows(target: Target, schema: string, name: string): Promise<{ count: number; durationMs: number }>
  listHistory(targetId: TargetId): Array<{ sql: string; at: number; ok: boolean }>
  getConnectionStrings(target: Target, withToken: boolean): Promise<ConnectionStrings>
  /** Closes pools and cursors of a target (its tunnel closed). */
  closeTarget(targetId: TargetId): Promise<void>
  closeAll(): Promise<void>
}
