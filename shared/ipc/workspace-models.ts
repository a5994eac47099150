// What the SQL console keeps between runs of the app: editor tabs and saved queries per target,
// the query history, and UI settings. Main owns these files (electron/store/workspace-*.ts); the
// renderer reads and writes them only through the contract.
import * as z from 'zod'
import { targetIdSchema } from '../target-schema'

/** Longest SQL text kept in one tab or saved query (the runQuery limit). */
export const MAX_SQL_CHARS = 1_000_000
/** At most this many editor tabs per target. */
export const MAX_TABS = 30
/** At most this many saved queries per target. */
export const MAX_SAVED_QUERIES = 500

const itemIdSchema = z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, 'must be 4-40 url-safe characters')

export const editorTabSchema = z
  .object({
    id: itemIdSchema.describe('Stable id of the tab'),
    title: z.string().trim().min(1, 'is required').max(80).describe('Tab label'),
    sql: z.string().max(MAX_SQL_CHARS).describe('Editor text'),
  })
  .strict()
export type EditorTab = z.infer<typeof editorTabSchema>

export const savedQuerySchema = z
  .object({
    id: itemIdSchema,
    name: z.string().trim().min(1, 'is required').max(120, 'is longer than 120 characters'),
    sql: z.string().min(1, 'is empty').max(MAX_SQL_CHARS),
    updatedAt: z.number().describe('Epoch ms of the last save'),
  })
  .strict()
export type SavedQuery = z.infer<typeof savedQuerySchema>

/** One target's console workspace as stored in `<data>/workspaces/<targetId>.json`. */
export const workspaceSchema = z.object({
  tabs: z.array(editorTabSchema).max(MAX_TABS),
  activeTabId: itemIdSchema.nullable(),
  saved: z.array(savedQuerySchema).max(MAX_SAVED_QUERIES),
})
export type Workspace = z.infer<typeof workspaceSchema>

export const saveEditorTabsInputSchema = z
  .object({
    targetId: targetIdSchema,
    tabs: z.array(editorTabSchema).max(MAX_TABS),
    activeTabId: itemIdSchema.nullable(),
  })
  .strict()

export const saveQueryInputSchema = z
  .object({
    targetId: targetIdSchema,
    id: itemIdSchema.optional().describe('Absent: a new saved query'),
    name: savedQuerySchema.shape.name,
    sql: savedQuerySchema.shape.sql,
  })
  .strict()

export const deleteSavedQueryInputSchema = z.object({ targetId: targetIdSchema, id: itemIdSchema }).strict()

/** One run in the history (`<data>/history/<targetId>.jsonl`, newest last on disk). */
export const historyEntrySchema = z.object({
  sql: z.string().describe('The text sent, secrets scrubbed'),
  at: z.number().describe('Epoch ms when the run started'),
  ok: z.boolean(),
  durationMs: z.number().optional(),
  rowCount: z.number().int().nullable().optional().describe('Rows returned or affected (all statements)'),
  more: z.boolean().optional().describe('A result had more rows than the first page'),
  error: z.string().optional().describe('The error message (scrubbed) when not ok'),
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

export const listHistoryInputSchema = z
  .object({
    targetId: targetIdSchema,
    search: z.string().max(200).optional().describe('Case-insensitive substring of the SQL'),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict()

export const THEME_CHOICES = ['system', 'light', 'dark'] as const
/** Settings of the UI kept by main, so they survive a restart whatever the origin of the page. */
export const uiSettingsSchema = z.object({ theme: z.enum(THEME_CHOICES) })
export type UiSettings = z.infer<typeof uiSettingsSchema>
