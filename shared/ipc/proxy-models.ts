// Payloads of the local auth proxy (docs/auth-proxy.md): per-target proxy status with its clients,
// the local secret, and audit log entries.
import * as z from 'zod'
import { errorInfoSchema } from '../errors'
import { targetIdSchema } from '../target-schema'

export const proxyClientSchema = z.object({
  id: z.string(),
  transport: z.enum(['tcp', 'unix']).describe('How the client reached the proxy'),
  user: z.string(),
  database: z.string(),
  applicationName: z.string().describe('application_name the client sent (may be empty)'),
  since: z.number().describe('Epoch ms the client connected'),
  bytesIn: z.number().describe('Bytes from the database to the client'),
  bytesOut: z.number().describe('Bytes from the client to the database'),
  sessionIds: z.array(z.string()).describe('SSM session ids of the tunnel it rides on'),
})
export type ProxyClientInfo = z.infer<typeof proxyClientSchema>

/** Live status of one target's local auth proxy, pushed on every change (`onProxyChanged`). */
export const proxyStatusSchema = z.object({
  targetId: targetIdSchema,
  state: z.enum(['stopped', 'listening', 'failed']),
  engine: z.enum(['postgres', 'mysql']),
  host: z.literal('127.0.0.1'),
  port: z.number().int().nullable().describe('Pinned loopback port while listening'),
  socketDir: z.string().nullable().describe('Folder holding the Unix socket (psql host=<folder>)'),
  pgpassFile: z.string().nullable().describe('0600 pgpass file holding the local secrets of running proxies'),
  optionFile: z
    .string()
    .nullable()
    .optional()
    .describe('MySQL targets: 0600 option file ([client] password) for mysql --defaults-extra-file'),
  user: z.string().describe('The IAM database user the proxy logs in as'),
  database: z.string(),
  clients: z.array(proxyClientSchema),
  closeTunnelAfterMinutes: z
    .number()
    .nullable()
    .describe('The proxy closes the tunnel this long after its last client left; null = never'),
  tokensSigned: z.number().int().describe('IAM tokens signed by this proxy (one per upstream connection)'),
  lastTokenAt: z.number().nullable().describe('Epoch ms of the newest token it signed'),
  since: z.number(),
  lastError: z.nullable(errorInfoSchema),
})
export type ProxyStatus = z.infer<typeof proxyStatusSchema>

export const auditEntrySchema = z.object({
  kind: z.enum(['tunnel-session', 'proxy-client']),
  startedAt: z.string(),
  endedAt: z.string(),
  targetId: z.string(),
  targetName: z.string(),
  principalArn: z.string().nullable(),
  sessionIds: z.array(z.string()),
  applicationName: z.string().optional(),
  user: z.string().optional(),
  database: z.string().optional(),
  transport: z.enum(['tcp', 'unix']).optional(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  ended: z.string(),
})
export type AuditEntryInfo = z.infer<typeof auditEntrySchema>

/** Strings for the running proxy; null in ConnectionStrings when no proxy runs for the target. */
export const proxyConnectionStringsSchema = z.object({
  psql: z
    .string()
    .describe('psql over TCP, the local secret from PGPASSFILE (MySQL: mysql with its option file)'),
  psqlSocket: z
    .string()
    .nullable()
    .describe('psql over the Unix socket, no secret needed (MySQL: mysql --socket)'),
  uri: z.string(),
  env: z.string(),
  jdbc: z.string(),
  gui: z.string().describe('Short DBeaver / DataGrip instructions'),
  notes: z.array(z.string()),
  entries: z
    .array(z.object({ key: z.string(), label: z.string(), value: z.string() }))
    .optional()
    .describe('MySQL targets: every string with its label (mysql, socket, JDBC, env), shown in order'),
})
export type ProxyConnectionStrings = z.infer<typeof proxyConnectionStringsSchema>
