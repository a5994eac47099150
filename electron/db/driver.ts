// The engine seam: DbService is engine-agnostic and hands each target to the driver of its engine.
// PostgreSQL is implemented (postgres-driver.ts); a MySQL driver implements the same interface.
import type {
  QueryEvent,
  QueryResult,
  RowsPage,
  SchemaTree,
  TableDetails,
  TablePreview,
} from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import type { ExportFormat, ExportOutcome } from './export-result'

/** Database work for one engine; `localPort` is the open tunnel's loopback port. */
export interface DbDriver {
  listSchema(target: Target, localPort: number): Promise<SchemaTree>
  describeTable(target: Target, localPort: number, schema: string, name: string): Promise<TableDetails>
  previewTable(
    target: Target,
    localPort: number,
    schema: string,
    name: string,
    offset: number,
    limit: number,
  ): Promise<TablePreview>
  runQuery(
    target: Target,
    localPort: number,
    input: { queryId: string; sql: string; pageSize: number; statementTimeoutMs?: number },
  ): Promise<QueryResult>
  /** Whether this driver holds the query (open cursor or running). */
  hasQuery(queryId: string): boolean
  fetchRows(queryId: string, resultIndex: number, count: number): Promise<RowsPage>
  cancelQuery(queryId: string): Promise<boolean>
  closeQuery(queryId: string): Promise<boolean>
  /** Writes a held result to the file `destination` picks for its statement (null: cancelled). */
  exportResult(
    input: { queryId: string; resultIndex: number; format: ExportFormat },
    destination: (statement: string) => Promise<{ path: string; exclusive: boolean } | null>,
  ): Promise<ExportOutcome>
  /** Which target a held result belongs to, or null. */
  heldTarget(queryId: string, resultIndex: number): TargetId | null
  /** Running scripts and open portals of a target. */
  activity(targetId: TargetId): { runningQueries: number; openResults: number; connections: number }
  /** Exact row count of a relation (optional: engines without it make countRows UNAVAILABLE). */
  countRows?(
    target: Target,
    localPort: number,
    schema: string,
    name: string,
  ): Promise<{ count: number; durationMs: number }>
  listHistory(targetId: TargetId): Array<{ sql: string; at: number; ok: boolean }>
  closeTarget(targetId: TargetId): Promise<void>
  closeAll(): Promise<void>
  /** Opens one pooled connection ahead of the first query (TLS + auth paid before it is needed). */
  prewarm?(target: Target, localPort: number): Promise<void>
}

/** What every engine's driver is built with (postgres-driver.ts, mysql-driver.ts). */
export interface DriverOptions {
  signerFor(target: Target): TokenSigner
  logger: Logger
  onQueryEvent?: (event: QueryEvent) => void
  onTokenIssued?: (targetId: TargetId, issuedAt: number) => void
  statementTimeoutMs?: number
  /** Private folder for spill files of large held results. */
  spillDir: string
  materialiseCap?: number
}
