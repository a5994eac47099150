// Payload shapes that cross the renderer↔main boundary. Zod schemas are the source of truth;
// types come from z.infer so the two sides cannot drift.
import * as z from 'zod'
import { errorInfoSchema } from '../errors'
import { targetIdSchema } from '../target-schema'
import { proxyConnectionStringsSchema } from './proxy-models'

export const TUNNEL_STATES = ['idle', 'starting', 'open', 'resuming', 'closing', 'closed', 'failed'] as const
export type TunnelState = (typeof TUNNEL_STATES)[number]

/** One pooled SSM session's load, as the tunnel places new streams by it. */
export const sessionLoadSchema = z.object({
  sessionId: z.string(),
  openStreams: z.number().int(),
  bytesInFlight: z
    .number()
    .describe('Outbound bytes queued or unacked plus inbound bytes not yet read locally'),
  inRate: z.number().describe('Recent inbound bytes per second (EWMA)'),
  draining: z.boolean().describe('Pool shrinking: no new streams; ends when its streams end'),
})
export type SessionLoadStatus = z.infer<typeof sessionLoadSchema>

/** Live status of one target's tunnel, pushed on every change (`onTunnelChanged`). */
export const tunnelStatusSchema = z.object({
  targetId: targetIdSchema,
  state: z.enum(TUNNEL_STATES),
  localPort: z.number().int().nullable().describe('Loopback port accepting connections'),
  sessionIds: z.array(z.string()).describe('SSM session ids (one per pooled session)'),
  mode: z
    .enum(['basic', 'mux', 'plugin'])
    .nullable()
    .describe('Data-channel mode chosen from the agent version'),
  agentVersion: z.string().nullable(),
  bytesIn: z.number().describe('Bytes delivered to local sockets'),
  bytesOut: z.number().describe('Bytes read from local sockets and sent'),
  openStreams: z.number().int().describe('Local connections currently open'),
  since: z.number().describe('Epoch ms when the current state began'),
  openedAt: z.number().nullable().describe('Epoch ms when the tunnel last became open'),
  tokenIssuedAt: z.number().nullable().describe('Epoch ms of the newest IAM token signed for this target'),
  lastError: z.nullable(errorInfoSchema),
  endReason: z.string().nullable().describe('Why the session ended, e.g. idle timeout'),
  sessions: z
    .array(sessionLoadSchema)
    .optional()
    .describe('Per-session load of a native pooled tunnel (absent for the plugin backend)'),
})
export type TunnelStatus = z.infer<typeof tunnelStatusSchema>

export const logLineSchema = z.object({
  time: z.number(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  scope: z.string().describe('Module that logged, e.g. tunnel, store'),
  message: z.string(),
  targetId: z.optional(targetIdSchema),
})
export type LogLine = z.infer<typeof logLineSchema>

export const DISPLAY_KINDS = ['number', 'text', 'bool', 'json', 'datetime', 'binary', 'other'] as const
export const columnSchema = z.object({
  name: z.string(),
  typeName: z.string().describe('Database type name, e.g. int4, jsonb'),
  kind: z.enum(DISPLAY_KINDS).describe('How the grid aligns and formats it'),
})
export type Column = z.infer<typeof columnSchema>

/** Every cell is display text or null: the renderer never receives markup or raw objects. */
export const cellSchema = z.string().nullable()
export type Cell = z.infer<typeof cellSchema>

export const statementResultSchema = z.object({
  index: z.number().int().describe('Position of the statement in the script'),
  statement: z.string().describe('The statement text (trimmed)'),
  command: z.string().nullable().describe('SELECT, INSERT, ...'),
  rowCount: z.number().int().nullable().describe('Rows affected or returned so far'),
  columns: z.array(columnSchema).nullable().describe('null when the statement returns no rows'),
  rows: z.array(z.array(cellSchema)),
  hasMore: z.boolean().describe('More rows can be fetched with fetchRows'),
  truncated: z
    .boolean()
    .optional()
    .describe('Cut at the engine cap because later statements needed the connection; run it alone for all'),
  changedData: z
    .boolean()
    .optional()
    .describe('The statement wrote (insert … returning): never offer to run it again'),
  durationMs: z.number(),
})
export type StatementResult = z.infer<typeof statementResultSchema>

export const queryResultSchema = z.object({
  queryId: z.string(),
  results: z.array(statementResultSchema),
  notices: z.array(z.string()),
  error: z.nullable(errorInfoSchema).describe('The statement error that stopped the script, if any'),
  durationMs: z.number(),
})
export type QueryResult = z.infer<typeof queryResultSchema>

export const rowsPageSchema = z.object({
  rows: z.array(z.array(cellSchema)),
  hasMore: z.boolean(),
})
export type RowsPage = z.infer<typeof rowsPageSchema>

export const exportOutcomeSchema = z.object({
  path: z.string().nullable().describe('The file written; null when the save dialog was cancelled'),
  rows: z.number().int(),
  complete: z.boolean().describe('False when the file holds only part of the result'),
  note: z.string().nullable().describe('Why the file is partial, in plain words'),
})
export type ExportOutcome = z.infer<typeof exportOutcomeSchema>

export const targetActivitySchema = z.object({
  runningQueries: z.number().int(),
  openResults: z.number().int().describe('Results whose cursor is still open'),
  connections: z.number().int().describe("The engine's own database connections through the tunnel"),
})
export type TargetActivity = z.infer<typeof targetActivitySchema>

export const queryEventSchema = z.object({
  queryId: z.string(),
  kind: z.enum(['started', 'notice', 'finished', 'cancelled', 'failed']),
  message: z.string().optional(),
})
export type QueryEvent = z.infer<typeof queryEventSchema>

export const RELATION_KINDS = [
  'table',
  'view',
  'materialized_view',
  'foreign_table',
  'partitioned_table',
] as const
export const schemaTreeSchema = z.object({
  schemas: z.array(
    z.object({
      name: z.string(),
      relations: z.array(
        z.object({
          name: z.string(),
          kind: z.enum(RELATION_KINDS),
          estimatedRows: z.number().nullable(),
          columns: z.array(z.string()).optional().describe('Column names, for autocomplete'),
        }),
      ),
    }),
  ),
})
export type SchemaTree = z.infer<typeof schemaTreeSchema>

export const tableDetailsSchema = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(RELATION_KINDS),
  estimatedRows: z.number().nullable(),
  columns: z.array(
    z.object({
      name: z.string(),
      typeName: z.string(),
      nullable: z.boolean(),
      default: z.string().nullable(),
      primaryKey: z.boolean(),
      references: z.string().nullable().describe('schema.table(column) for a foreign key'),
    }),
  ),
  indexes: z.array(
    z.object({ name: z.string(), definition: z.string(), unique: z.boolean(), primary: z.boolean() }),
  ),
  constraints: z
    .array(
      z.object({
        name: z.string(),
        kind: z.enum(['primary_key', 'foreign_key', 'unique', 'check', 'exclusion', 'not_null', 'trigger']),
        definition: z.string(),
      }),
    )
    .optional()
    .describe('Table constraints (engines that report them)'),
  ddl: z.string().optional().describe('Reconstructed CREATE statement(s)'),
})
export type TableDetails = z.infer<typeof tableDetailsSchema>

export const tablePreviewSchema = z.object({
  columns: z.array(columnSchema),
  rows: z.array(z.array(cellSchema)),
  offset: z.number().int(),
  hasMore: z.boolean(),
})
export type TablePreview = z.infer<typeof tablePreviewSchema>

/** One labelled string of the connection-strings dialog (engines other than PostgreSQL use these). */
export const connectionStringEntrySchema = z.object({
  key: z.string().describe('Stable id, e.g. mysql, jdbc'),
  label: z.string().describe('What the dialog and CLI show, e.g. "mysql (MariaDB client)"'),
  value: z.string(),
})

export const connectionStringsSchema = z.object({
  entries: z
    .array(connectionStringEntrySchema)
    .optional()
    .describe('When present, the strings to show in this order (MySQL); else psql, uri, env, jdbc'),
  psql: z.string(),
  uri: z.string(),
  env: z.string().describe('export lines for PGHOST, PGHOSTADDR, PGPORT, ...'),
  jdbc: z.string(),
  caFile: z.string().describe('CA bundle path written to the app data dir'),
  notes: z.array(z.string()).describe('Honest caveats, e.g. JDBC verification mode'),
  withToken: z
    .object({
      psql: z.string(),
      env: z.string(),
      expiresAt: z.number(),
      warning: z.string(),
      entries: z.array(connectionStringEntrySchema).optional(),
    })
    .nullable()
    .describe('Only present when explicitly requested'),
  proxy: proxyConnectionStringsSchema
    .nullable()
    .optional()
    .describe('Strings through the running local auth proxy (lead with these); null when it is not running'),
})
export type ConnectionStrings = z.infer<typeof connectionStringsSchema>

export const mfaPromptSchema = z.object({
  promptId: z.string(),
  profile: z.string(),
  mfaSerial: z.string(),
})
export type MfaPrompt = z.infer<typeof mfaPromptSchema>

export const appInfoSchema = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'web']),
  storePath: z.string(),
  storeProblem: z.nullable(errorInfoSchema).describe('Set when the store file was corrupt and kept aside'),
  awsConfigured: z.boolean().describe('Whether any AWS credentials or profiles were found'),
})
export type AppInfo = z.infer<typeof appInfoSchema>

export const importResultSchema = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  /** Targets in the file identical to the saved ones (left untouched). */
  unchanged: z.number().int().optional(),
})
export type ImportResult = z.infer<typeof importResultSchema>

const importPreviewEntrySchema = z.object({
  name: z.string(),
  id: z.optional(targetIdSchema),
  changes: z.array(z.string()).describe('Fields that differ from the saved target (updated only)'),
})

/** What an import would change, before it commits (added / updated / unchanged). */
export const importPreviewSchema = z.object({
  added: z.array(importPreviewEntrySchema),
  updated: z.array(importPreviewEntrySchema),
  unchanged: z.array(importPreviewEntrySchema),
})
export type ImportPreview = z.infer<typeof importPreviewSchema>
