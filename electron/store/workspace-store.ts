// The SQL console's workspace per target: editor tabs (with their text) and saved queries, one JSON
// file each under `<data>/workspaces/`. Every change is a read-modify-write through a per-file queue
// and an atomic replace, so concurrent saves never lose each other and a crash never tears a file.
// A file that cannot be read is kept aside (never dropped) and the target starts with an empty one.
import { randomBytes } from 'node:crypto'
import { readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as z from 'zod'
import { PortholeError } from '../../shared/errors'
import {
  type EditorTab,
  MAX_SAVED_QUERIES,
  type SavedQuery,
  type Workspace,
  workspaceSchema,
} from '../../shared/ipc/workspace-models'
import type { TargetId } from '../../shared/target-schema'
import { type Logger, silentLogger } from '../base/logger'
import { KeyedQueue, writeFileAtomic } from './atomic-file'
import { corruptPathFor } from './store-file'

const FILE_VERSION = 1
const fileSchema = workspaceSchema.extend({ version: z.literal(FILE_VERSION) })

/** Workspace files of all targets. */
export interface WorkspaceStore {
  get(targetId: TargetId): Promise<Workspace>
  saveTabs(targetId: TargetId, tabs: EditorTab[], activeTabId: string | null): Promise<void>
  saveQuery(targetId: TargetId, input: { id?: string; name: string; sql: string }): Promise<SavedQuery>
  deleteQuery(targetId: TargetId, id: string): Promise<boolean>
  /** Removes the target's file (the target was deleted). */
  forget(targetId: TargetId): Promise<void>
}

const empty = (): Workspace => ({ tabs: [], activeTabId: null, saved: [] })

/** Opens the workspace store in `<dir>/workspaces/`. */
export function createWorkspaceStore(options: { dir: string; logger?: Logger }): WorkspaceStore {
  const root = join(options.dir, 'workspaces')
  const log = (options.logger ?? silentLogger).child('workspace')
  const queue = new KeyedQueue()
  const pathOf = (id: TargetId) => join(root, `${id}.json`)

  const read = async (id: TargetId): Promise<Workspace> => {
    const path = pathOf(id)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty()
      throw err
    }
    let reason: string
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text))
      if (parsed.success) {
        const { version: _v, ...ws } = parsed.data
        return ws
      }
      reason = parsed.error.issues[0]?.message ?? 'invalid'
    } catch (err) {
      reason = `not valid JSON (${(err as Error).message})`
    }
    const aside = corruptPathFor(path)
    await rename(path, aside)
    log.error(`The console workspace of ${id} could not be read (${reason}); kept aside as ${aside}.`, id)
    return empty()
  }
  const write = (id: TargetId, ws: Workspace) =>
    writeFileAtomic(pathOf(id), `${JSON.stringify({ version: FILE_VERSION, ...ws }, null, 2)}\n`)
  const update = <T>(id: TargetId, change: (ws: Workspace) => T): Promise<T> =>
    queue.run(id, async () => {
      const ws = await read(id)
      const out = change(ws)
      await write(id, ws)
      return out
    })

  return {
    get: (id) => queue.run(id, () => read(id)),
    saveTabs: (id, tabs, activeTabId) =>
      update(id, (ws) => {
        ws.tabs = tabs
        ws.activeTabId =
          activeTabId && tabs.some((t) => t.id === activeTabId) ? activeTabId : (tabs[0]?.id ?? null)
      }),
    saveQuery: (id, input) =>
      update(id, (ws) => {
        const now = Date.now()
        if (input.id) {
          const existing = ws.saved.find((q) => q.id === input.id)
          if (!existing) throw PortholeError.of('NOT_FOUND', `No saved query with id ${input.id}.`)
          Object.assign(existing, { name: input.name, sql: input.sql, updatedAt: now })
          return { ...existing }
        }
        if (ws.saved.length >= MAX_SAVED_QUERIES)
          throw PortholeError.of('VALIDATION', `At most ${MAX_SAVED_QUERIES} saved queries per target.`)
        const query: SavedQuery = {
          id: `sq_${randomBytes(9).toString('base64url')}`,
          name: input.name,
          sql: input.sql,
          updatedAt: now,
        }
        ws.saved.push(query)
        ws.saved.sort((a, b) => a.name.localeCompare(b.name))
        return query
      }),
    deleteQuery: (id, queryId) =>
      update(id, (ws) => {
        const before = ws.saved.length
        ws.saved = ws.saved.filter((q) => q.id !== queryId)
        return ws.saved.length < before
      }),
    forget: (id) => queue.run(id, () => rm(pathOf(id), { force: true })),
  }
}
