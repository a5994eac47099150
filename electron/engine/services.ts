// The seams between the engine's composition root and its parts. Each part is built and tested on
// its own (tunnel against sim/, db against sim/ + PostgreSQL) and plugged in by engine.ts.
import type { Unsubscribe } from '../../shared/ipc/contract'
import type {
  ConnectionStrings,
  MfaPrompt,
  QueryResult,
  RowsPage,
  SchemaTree,
  TableDetails,
  TablePreview,
  TunnelStatus,
} from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'

/** SSM session APIs the tunnel needs (implemented over @aws-sdk/client-ssm in electron/aws/). */
export interface SsmSessionApi {
  startSession(input: {
    target: string
    documentName: string
    parameters: Record<string, string[]>
    reason?: string
  }): Promise<{ sessionId: string; streamUrl: string; tokenValue: string }>
  resumeSession(sessionId: string): Promise<{ sessionId: string; streamUrl: string; tokenValue: string }>
  terminateSession(sessionId: string): Promise<void>
}

/** Static or temporary AWS credentials, as the SDK uses them. */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiration?: Date
}

/** Everything AWS-facing for one target: credentials, region, endpoint, clients. */
export interface AwsContext {
  region: string
  /** Endpoint override for all services (target setting or AWS_ENDPOINT_URL*), if any. */
  endpointFor(service: 'ssm' | 'rds' | 'sts'): string | undefined
  credentials(options?: { forceRefresh?: boolean }): Promise<AwsCredentials>
  ssm: SsmSessionApi
}

/** Owns every tunnel's lifecycle; main-process state, pushed to renderers as TunnelStatus. */
export interface TunnelService {
  /** Opens (or returns the already open) tunnel; rejects with a PortholeError. */
  connect(target: Target): Promise<TunnelStatus>
  /** Closes the tunnel with TerminateSession; resolves with the final status. */
  disconnect(targetId: TargetId): Promise<TunnelStatus>
  list(): TunnelStatus[]
  get(targetId: TargetId): TunnelStatus | undefined
  onStatus(listener: (status: TunnelStatus) => void): Unsubscribe
  closeAll(): Promise<void>
}

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
  listHistory(targetId: TargetId): Array<{ sql: string; at: number; ok: boolean }>
  getConnectionStrings(target: Target, withToken: boolean): Promise<ConnectionStrings>
  /** Closes pools and cursors of a target (its tunnel closed). */
  closeTarget(targetId: TargetId): Promise<void>
  closeAll(): Promise<void>
}

/** Asks the user for an MFA code (renderer dialog or CLI prompt); resolves '' when cancelled. */
export type MfaCodeProvider = (prompt: Omit<MfaPrompt, 'promptId'>) => Promise<string>
