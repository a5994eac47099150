// The single renderer↔main contract. One table of request channels and one of event channels,
// each with zod schemas. Three implementations speak it: the Electron preload, the loopback
// WebSocket bridge (browser + e2e), and the in-memory fake for renderer unit tests.
//
// Transport: two wire channels (`porthole:call`, `porthole:event`) carry `{method, arg}` and
// `{event, payload}`. Main validates every `arg` with the schema below before the engine sees it.
import * as z from 'zod'
import { type ErrorInfo, PortholeError } from '../errors'
import { REGION_PATTERN, targetIdSchema, targetInputSchema, targetSchema } from '../target-schema'
import {
  callerIdentitySchema,
  discoverySchema,
  profileDetailSchema,
  ssoLoginEventSchema,
  ssoLoginSchema,
} from './aws-models'
import {
  appInfoSchema,
  connectionStringsSchema,
  exportOutcomeSchema,
  importPreviewSchema,
  importResultSchema,
  logLineSchema,
  mfaPromptSchema,
  queryEventSchema,
  queryResultSchema,
  rowsPageSchema,
  schemaTreeSchema,
  tableDetailsSchema,
  tablePreviewSchema,
  targetActivitySchema,
  tunnelStatusSchema,
} from './models'
import { auditEntrySchema, proxyStatusSchema } from './proxy-models'
import {
  deleteSavedQueryInputSchema,
  historyEntrySchema,
  listHistoryInputSchema,
  savedQuerySchema,
  saveEditorTabsInputSchema,
  saveQueryInputSchema,
  uiSettingsSchema,
  workspaceSchema,
} from './workspace-models'

export const CALL_CHANNEL = 'porthole:call'
export const EVENT_CHANNEL = 'porthole:event'

const none = z.undefined().optional()
const byTarget = z.object({ targetId: targetIdSchema }).strict()
const relationRef = z
  .object({ targetId: targetIdSchema, schema: z.string().min(1).max(128), name: z.string().min(1).max(128) })
  .strict()
const queryIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 url-safe characters')

/**
 * Request channels. Each resolves with `output` or rejects with a PortholeError whose `code` is
 * one of shared/errors.ts. The JSDoc on each entry is the method's documentation.
 */
export const methods = {
  /** App version, shell kind, store location and any store problem found at start. */
  getAppInfo: { input: none, output: appInfoSchema },
  /** All saved targets, sorted by name. */
  listTargets: { input: none, output: z.array(targetSchema) },
  /** Creates (no id) or updates (id) a target. Rejects VALIDATION with field issues, NOT_FOUND. */
  saveTarget: { input: targetInputSchema, output: targetSchema },
  /** Deletes a target, closing its tunnel first. Rejects NOT_FOUND. */
  deleteTarget: { input: byTarget, output: z.object({ deleted: z.boolean() }) },
  /** Copies a target under "<name> copy". Rejects NOT_FOUND. */
  duplicateTarget: { input: byTarget, output: targetSchema },
  /** Adds the "Demo (simulated AWS)" target backed by the built-in simulator (idempotent). */
  createDemoTarget: { input: none, output: targetSchema },
  /** Imports targets from the export JSON; all-or-nothing. Rejects VALIDATION naming `targets[i].field`. */
  importTargets: {
    input: z.object({ json: z.string().max(5_000_000) }).strict(),
    output: importResultSchema,
  },
  /** What importTargets would do with this JSON (added / updated / unchanged); changes nothing. */
  previewImport: {
    input: z.object({ json: z.string().max(5_000_000) }).strict(),
    output: importPreviewSchema,
  },
  /** Exports all targets as JSON text (no secrets: targets hold none). */
  exportTargets: { input: none, output: z.object({ json: z.string() }) },
  /** Profile names from the shared AWS config and credentials files. */
  listProfiles: { input: none, output: z.array(z.string()) },

  /** Opens the tunnel for a target. Resolves when it is open; rejects with the AWS/tunnel error. */
  connectTarget: { input: byTarget, output: tunnelStatusSchema },
  /** Closes the tunnel (TerminateSession). Resolves with the final status. */
  disconnectTarget: { input: byTarget, output: tunnelStatusSchema },
  /** Current status of every target that has had a tunnel this run. */
  listTunnels: { input: none, output: z.array(tunnelStatusSchema) },

  /** Schemas and relations of the target's database. Rejects TUNNEL_NOT_OPEN, AUTH_FAILED, TLS_FAILED. */
  listSchema: { input: byTarget, output: schemaTreeSchema },
  /** Columns, keys and indexes of one relation. */
  describeTable: { input: relationRef, output: tableDetailsSchema },
  /** A page of rows of one relation. */
  previewTable: {
    input: relationRef.extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: tablePreviewSchema,
  },
  /** Runs a script; resolves with the first page of each statement. Rejects TUNNEL_NOT_OPEN; SQL errors come back in `error`. */
  runQuery: {
    input: z
      .object({
        targetId: targetIdSchema,
        queryId: queryIdSchema,
        sql: z.string().min(1, 'is empty').max(1_000_000),
        pageSize: z.number().int().min(1).max(5000).default(500),
        statementTimeoutMs: z.number().int().min(0).max(86_400_000).optional().describe('0 = no timeout'),
      })
      .strict(),
    output: queryResultSchema,
  },
  /** Next page of the statement whose cursor is still open. Rejects NOT_FOUND once closed. */
  fetchRows: {
    input: z
      .object({
        queryId: queryIdSchema,
        resultIndex: z.number().int().min(0),
        count: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    output: rowsPageSchema,
  },
  /** Cancels a running query on the server. Resolves `cancelled: false` if it had already finished. */
  cancelQuery: {
    input: z.object({ queryId: queryIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** Closes a query's open cursor and frees its connection. */
  closeQuery: {
    input: z.object({ queryId: queryIdSchema }).strict(),
    output: z.object({ closed: z.boolean() }),
  },
  /**
   * Writes one held result set (`queryId` + `resultIndex` of a run) as CSV or JSON: the rows the
   * grid was given plus the rest of its open cursor. Never runs SQL again. The main side picks the
   * file (Electron's save dialog, else a new 0600 file in the private exports folder); `path` is
   * null when the user cancelled the dialog. `complete: false` + `note` when only part could be
   * written. Rejects NOT_FOUND once the result is no longer held.
   */
  exportResult: {
    input: z
      .object({
        targetId: targetIdSchema,
        queryId: queryIdSchema,
        resultIndex: z.number().int().min(0).max(100_000),
        format: z.enum(['csv', 'json']),
      })
      .strict(),
    output: exportOutcomeSchema,
  },
  /** Running queries, open results and the engine's own connections of a target (Disconnect asks first). */
  getTargetActivity: { input: byTarget, output: targetActivitySchema },
  /** Recent runs against a target, newest first, from the history file (optionally filtered). */
  listHistory: { input: listHistoryInputSchema, output: z.array(historyEntrySchema) },
  /** Forgets a target's query history. */
  clearHistory: { input: byTarget, output: z.object({ cleared: z.boolean() }) },
  /** The target's editor tabs and saved queries (no tabs yet: an empty list). */
  getWorkspace: { input: byTarget, output: workspaceSchema },
  /** Replaces the target's editor tabs and active tab (atomic file write). */
  saveEditorTabs: { input: saveEditorTabsInputSchema, output: z.object({ saved: z.boolean() }) },
  /** Creates (no id) or renames/updates (id) a saved query. Rejects NOT_FOUND, VALIDATION. */
  saveQuery: { input: saveQueryInputSchema, output: savedQuerySchema },
  /** Deletes a saved query. */
  deleteSavedQuery: { input: deleteSavedQueryInputSchema, output: z.object({ deleted: z.boolean() }) },
  /** UI settings kept by main (theme). */
  getUiSettings: { input: none, output: uiSettingsSchema },
  /** Saves UI settings; resolves with what is stored. */
  saveUiSettings: { input: uiSettingsSchema.strict(), output: uiSettingsSchema },
  /** Exact `count(*)` of one relation, on demand (may take long on big tables). */
  countRows: { input: relationRef, output: z.object({ count: z.number(), durationMs: z.number() }) },

  /** Ready-made connection strings; `withToken` adds a PGPASSWORD variant that expires in ≤ 15 min. */
  getConnectionStrings: {
    input: z.object({ targetId: targetIdSchema, withToken: z.boolean().default(false) }).strict(),
    output: connectionStringsSchema,
  },
  /** Profiles with kind, region and SSO sign-in state (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE honoured). */
  listProfileDetails: { input: none, output: z.array(profileDetailSchema) },
  /** STS GetCallerIdentity with a profile's credentials (no profile: the default chain). */
  getCallerIdentity: {
    input: z.object({ profile: z.string().min(1).max(128).optional() }).strict(),
    output: callerIdentitySchema,
  },
  /** Signs a profile in to IAM Identity Center: refresh token if possible, else the device flow (see onSsoLogin). */
  startSsoLogin: {
    input: z.object({ profile: z.string().min(1).max(128) }).strict(),
    output: ssoLoginSchema,
  },
  /** Stops waiting for a device-flow sign-in. */
  cancelSsoLogin: {
    input: z.object({ loginId: z.string().min(1).max(64) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** Opens a pending sign-in's verification page in the system browser (Electron); false where it cannot. */
  openSsoVerification: {
    input: z.object({ loginId: z.string().min(1).max(64) }).strict(),
    output: z.object({ opened: z.boolean() }),
  },
  /** RDS databases and SSM instances a profile can see in the regions, with jump-host suggestions. */
  discoverResources: {
    input: z
      .object({
        profile: z.string().min(1).max(128).optional(),
        regions: z
          .array(z.string().regex(REGION_PATTERN, 'is not an AWS region such as us-east-1'))
          .min(1)
          .max(12),
      })
      .strict(),
    output: discoverySchema,
  },
  /** Answers an MFA prompt raised by `onMfaPrompt`. An empty code cancels it. */
  answerMfaPrompt: {
    input: z
      .object({ promptId: z.string().min(1), code: z.string().regex(/^(\d{6})?$/, 'must be 6 digits') })
      .strict(),
    output: z.object({ accepted: z.boolean() }),
  },

  /**
   * Starts the target's local auth proxy on 127.0.0.1 (and a Unix socket), pinning the port on the
   * target at first start; `port` picks another. Rejects PORT_IN_USE naming the holder (another
   * Porthole or program). PostgreSQL and MySQL targets (docs/auth-proxy.md).
   */
  startProxy: {
    input: z
      .object({ targetId: targetIdSchema, port: z.number().int().min(1).max(65535).optional() })
      .strict(),
    output: proxyStatusSchema,
  },
  /** Stops the target's proxy; its clients get FATAL 57P01 (PostgreSQL) or a closed connection (MySQL). */
  stopProxy: { input: byTarget, output: proxyStatusSchema },
  /** Status of every proxy started this run, with connected clients. */
  listProxies: { input: none, output: z.array(proxyStatusSchema) },
  /** The per-target local secret TCP clients use as their password (shown on request in the UI). */
  getProxySecret: { input: byTarget, output: z.object({ secret: z.string() }) },
  /** Newest audit log entries (tunnel sessions and proxy clients). */
  listAuditLog: {
    input: z.object({ limit: z.number().int().min(1).max(5000).default(200) }).strict(),
    output: z.array(auditEntrySchema),
  },
} as const

/** Event channels (main → renderer). Listeners get the parsed payload only, never the IPC event. */
export const events = {
  /** A tunnel's status changed. */
  onTunnelChanged: tunnelStatusSchema,
  /** The set of saved targets changed (any source: UI, CLI import, another window). */
  onTargetsChanged: z.array(targetSchema),
  /** A log line from the engine (already scrubbed of secrets). */
  onLogLine: logLineSchema,
  /** Query lifecycle: started, notices, finished, cancelled, failed. */
  onQueryEvent: queryEventSchema,
  /** Credentials need an MFA code; answer with answerMfaPrompt. */
  onMfaPrompt: mfaPromptSchema,
  /** A device-flow sign-in finished: signed in, failed (expired code, denied) or cancelled. */
  onSsoLogin: ssoLoginEventSchema,
  /** A local auth proxy started, stopped, failed, or its clients changed. */
  onProxyChanged: proxyStatusSchema,
} as const

export type MethodName = keyof typeof methods
export type EventName = keyof typeof events
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>
export type MethodArg<M extends MethodName> = z.output<(typeof methods)[M]['input']>
export type MethodOutput<M extends MethodName> = z.output<(typeof methods)[M]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>
export type Unsubscribe = () => void

/** The API the renderer calls. Methods whose input is `none` take no argument. */
export type PortholeApi = {
  [M in MethodName]: MethodInput<M> extends undefined
    ? () => Promise<MethodOutput<M>>
    : (arg: MethodInput<M>) => Promise<MethodOutput<M>>
} & {
  [E in EventName]: (listener: (payload: EventPayload<E>) => void) => Unsubscribe
}

/** The engine side: handlers get the validated (parsed) argument. */
export type PortholeHandlers = {
  [M in MethodName]: (arg: MethodArg<M>) => Promise<MethodOutput<M>>
}

export const methodNames = Object.keys(methods) as MethodName[]
export const eventNames = Object.keys(events) as EventName[]

/** Wire envelope of a call's result (Boundary style): exactly one of result / error. */
export type CallEnvelope = { ok: true; result: unknown } | { ok: false; error: ErrorInfo }

/** Validates a call argument; throws VALIDATION naming each bad field. */
export function parseArg<M extends MethodName>(method: M, arg: unknown): MethodArg<M> {
  const schema = methods[method]?.input
  if (!schema) throw PortholeError.of('NOT_FOUND', `Unknown method "${String(method)}"`)
  const parsed = schema.safeParse(arg)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }))
    const first = issues[0]
    const where = first?.path ? `${first.path} ${first.message}` : (first?.message ?? 'invalid')
    throw PortholeError.of('VALIDATION', `Invalid argument for ${method}: ${where}`, { issues })
  }
  return parsed.data as MethodArg<M>
}

/** Unwraps an envelope on the client side into a value or a thrown PortholeError. */
export function unwrapEnvelope(envelope: CallEnvelope): unknown {
  if (envelope.ok) return envelope.result
  throw new PortholeError(envelope.error)
}

/** True if `name` is a known method (guards the dispatcher against prototype keys). */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}

/** True if `name` is a known event. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}
