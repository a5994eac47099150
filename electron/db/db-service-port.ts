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

/** Database work over an open tunnel. `localPort` comes from ensureTunnel. */
export interface DbService {
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
  exportResult(
    target: Target,
    input: { sql: string; format: 'csv' | 'json'; path?: string },
  ): Promise<{ path: string; rows: number }>
  countRows(target: Target, schema: string, name: string): Promise<{ count: number; durationMs: number }>
  listHistory(targetId: TargetId): Array<{ sql: string; at: number; ok: boolean }>
  getConnectionStrings(target: Target, withToken: boolean): Promise<ConnectionStrings>
  /** Closes pools and cursors of a target (its tunnel closed). */
  closeTarget(targetId: TargetId): Promise<void>
  closeAll(): Promise<void>
}
