// Query history per target as JSON lines under `<data>/history/<targetId>.jsonl`: one append per
// run (cheap; a torn last line after a crash is skipped on read), capped in bytes by rewriting the
// newest half atomically. Every entry is scrubbed of secrets before it touches the disk: the SQL
// people run can carry an IAM token or a role password, and history must never hold one.
import { appendFile, mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { type HistoryEntry, historyEntrySchema } from '../../shared/ipc/workspace-models'
import type { TargetId } from '../../shared/target-schema'
import { scrubSecrets } from '../base/logger'
import { KeyedQueue, PRIVATE_FILE_MODE, writeFileAtomic } from './atomic-file'

/** Default cap of one target's history file. */
export const HISTORY_MAX_BYTES = 1_000_000
/** Longest SQL kept per entry; longer scripts are cut and marked. */
export const HISTORY_MAX_SQL = 20_000

/** SQL-shaped secrets the logger's patterns do not cover: `PASSWORD 'x'` in CREATE/ALTER ROLE. */
const SQL_SECRETS: Array<[RegExp, string]> = [
  [/(\bPASSWORD\s+)(E?'(?:[^']|'')*'|\$\w*\$[\s\S]*?\$\w*\$)/gi, "$1'<redacted>'"],
  [/(\bpassword\s*=\s*)(E?'(?:[^']|'')*'|[^\s;]+)/gi, '$1<redacted>'],
]

/** Removes tokens, keys and passwords from SQL or an error message before it is stored. */
export function scrubHistoryText(text: string): string {
  let out = scrubSecrets(text)
  for (const [pattern, replacement] of SQL_SECRETS) out = out.replace(pattern, replacement)
  return out
}

export interface HistoryStore {
  append(targetId: TargetId, entry: HistoryEntry): Promise<void>
  /** Newest first; `search` is a case-insensitive substring of the SQL. */
  list(targetId: TargetId, options?: { search?: string; limit?: number }): Promise<HistoryEntry[]>
  clear(targetId: TargetId): Promise<void>
}

/** Opens the history store in `<dir>/history/`. */
export function createHistoryStore(options: { dir: string; maxBytes?: number }): HistoryStore {
  const root = join(options.dir, 'history')
  const maxBytes = options.maxBytes ?? HISTORY_MAX_BYTES
  const queue = new KeyedQueue()
  const pathOf = (id: TargetId) => join(root, `${id}.jsonl`)
  const tailChecked = new Set<TargetId>()

  const readAll = async (id: TargetId): Promise<HistoryEntry[]> => {
    let text: string
    try {
      text = await readFile(pathOf(id), 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const out: HistoryEntry[] = []
    for (const line of text.split('\n')) {
      if (!line) continue
      try {
        const parsed = historyEntrySchema.safeParse(JSON.parse(line))
        if (parsed.success) out.push(parsed.data)
      } catch {
        // A line torn by a crash mid-append: skip it, keep the rest.
      }
    }
    return out
  }

  /** Keeps the newest entries that fit in half the cap, so trimming happens rarely. */
  const trim = async (id: TargetId): Promise<void> => {
    const entries = await readAll(id)
    const lines: string[] = []
    let bytes = 0
    for (let i = entries.length - 1; i >= 0; i--) {
      const line = `${JSON.stringify(entries[i])}\n`
      bytes += Buffer.byteLength(line)
      if (bytes > maxBytes / 2) break
      lines.unshift(line)
    }
    await writeFileAtomic(pathOf(id), lines.join(''))
  }

  return {
    append: (id, entry) =>
      queue.run(id, async () => {
        const sql =
          entry.sql.length > HISTORY_MAX_SQL ? `${entry.sql.slice(0, HISTORY_MAX_SQL)}\n-- (cut)` : entry.sql
        const clean: HistoryEntry = { ...entry, sql: scrubHistoryText(sql) }
        if (entry.error !== undefined) clean.error = scrubHistoryText(entry.error).slice(0, 2000)
        await mkdir(root, { recursive: true, mode: 0o700 })
        // After a crash the file may end in a torn line; start ours on a fresh line (checked once).
        const lead = tailChecked.has(id) ? '' : await leadFor(pathOf(id))
        tailChecked.add(id)
        await appendFile(pathOf(id), `${lead}${JSON.stringify(clean)}\n`, { mode: PRIVATE_FILE_MODE })
        if ((await stat(pathOf(id))).size > maxBytes) await trim(id)
      }),
    list: (id, opts = {}) =>
      queue.run(id, async () => {
        const needle = opts.search?.trim().toLowerCase()
        const all = (await readAll(id)).reverse()
        const hits = needle ? all.filter((e) => e.sql.toLowerCase().includes(needle)) : all
        return hits.slice(0, opts.limit ?? 200)
      }),
    clear: (id) => queue.run(id, () => rm(pathOf(id), { force: true })),
  }
}

/** '\n' when the file exists and does not end with one, else ''. */
async function leadFor(path: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(path, 'r')
    const { size } = await handle.stat()
    if (size === 0) return ''
    const last = Buffer.alloc(1)
    await handle.read(last, 0, 1, size - 1)
    return last[0] === 0x0a ? '' : '\n'
  } catch {
    return ''
  } finally {
    await handle?.close()
  }
}
