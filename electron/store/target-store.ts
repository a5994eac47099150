// The saved targets, over any Conf-like backend (electron-store in Electron, conf under plain Node;
// both expose `store` and `path`). Every mutation runs through one promise queue, so concurrent
// saves from the UI, an import and the CLI's engine never lose each other's updates; the backend
// writes the file atomically (write to a temp file, then rename).
//
// Secrets: targets hold none (profiles name credentials; IAM tokens are minted per connection and
// never kept). If a later feature must persist a secret, it goes through Electron's safeStorage in
// the shell and only the ciphertext reaches a store; never this file in plain text.
import { randomBytes } from 'node:crypto'
import { type ErrorInfo, PortholeError } from '../../shared/errors'
import type { ImportResult } from '../../shared/ipc/models'
import {
  fieldIssues,
  type Target,
  type TargetId,
  type TargetInput,
  targetInputSchema,
} from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { parseStoreData, quarantineStoreFile, STORE_VERSION, type StoreData } from './store-file'
import { formatTargetsFile, parseTargetsFile, toTargetInput } from './target-import'

/** The part of conf / electron-store the target store uses. */
export interface ConfLikeBackend {
  get store(): unknown
  set store(value: unknown)
  readonly path: string
}

/** CRUD + import/export of saved targets. All reads return copies sorted by name. */
export interface TargetStore {
  /** Absolute path of the store file. */
  readonly path: string
  /** Set when the file was corrupt at open and kept aside (STORE_CORRUPT, names the kept path). */
  readonly problem: ErrorInfo | null
  list(): Promise<Target[]>
  /** The target, or undefined. */
  get(id: TargetId): Promise<Target | undefined>
  /** Creates (no id) or updates (id). Rejects VALIDATION naming fields, NOT_FOUND for an unknown id. */
  save(input: TargetInput): Promise<Target>
  /** Removes a target. Rejects NOT_FOUND. */
  delete(id: TargetId): Promise<void>
  /** Copies a target under "<name> copy". Rejects NOT_FOUND. */
  duplicate(id: TargetId): Promise<Target>
  /** Imports the export format (or a bare array); all-or-nothing. Rejects VALIDATION `targets[i].field`. */
  importJson(text: string): Promise<ImportResult>
  /** The export format text of all targets. */
  exportJson(): Promise<string>
  /** Called with the full sorted list after every change this store makes. */
  onChange(listener: (targets: Target[]) => void): () => void
}

/** Options of createTargetStore. `problem` carries a corruption found by a preflight check. */
export interface TargetStoreOptions {
  backend: ConfLikeBackend
  logger: Logger
  problem?: ErrorInfo | null
  now?: () => Date
}

/** A new target id: `t_` + 12 url-safe random characters. */
export function newTargetId(): TargetId {
  return `t_${randomBytes(9).toString('base64url')}` as TargetId
}

/** Builds a TargetStore over `backend`; validates the current content and keeps a bad file aside. */
export function createTargetStore(options: TargetStoreOptions): TargetStore {
  const { backend, logger } = options
  const now = options.now ?? (() => new Date())
  let problem: ErrorInfo | null = options.problem ?? null
  const listeners = new Set<(targets: Target[]) => void>()
  let queue: Promise<unknown> = Promise.resolve()

  // Reads the backend; if the content does not validate, moves the file aside and starts empty.
  const read = (): StoreData => {
    let raw: unknown
    let reason: string | null = null
    try {
      raw = backend.store
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err)
    }
    const parsed = reason === null ? parseStoreData(raw) : { ok: false as const, reason }
    if (parsed.ok) return parsed.data
    problem = quarantineStoreFile(backend.path, parsed.reason, now())
    logger.error(problem.message)
    return { version: STORE_VERSION, targets: [] }
  }
  const write = (targets: Target[]): Target[] => {
    backend.store = { version: STORE_VERSION, targets }
    const sorted = sortByName(targets)
    for (const listener of [...listeners]) {
      try {
        listener(sorted.map(clone))
      } catch (err) {
        logger.warn(`store change listener failed: ${String(err)}`)
      }
    }
    return sorted
  }
  // Serialises read-modify-write so no update is lost; a failed step does not block later ones.
  const exclusive = <T>(step: () => T): Promise<T> => {
    const run = queue.then(step)
    queue = run.catch(() => undefined)
    return run
  }
  const find = (targets: Target[], id: TargetId): number => {
    const index = targets.findIndex((t) => t.id === id)
    if (index < 0) throw PortholeError.of('NOT_FOUND', `No saved target with id ${id}`)
    return index
  }
  const upsert = (targets: Target[], input: TargetInput, allowNewId = false): Target => {
    const parsed = targetInputSchema.safeParse(input)
    if (!parsed.success) {
      const issues = fieldIssues(parsed.error)
      const first = issues[0]
      throw PortholeError.of('VALIDATION', first ? `${first.path} ${first.message}` : 'Invalid target', {
        issues,
      })
    }
    const stamp = now().toISOString()
    const { id, ...fields } = parsed.data
    const index = id ? targets.findIndex((t) => t.id === id) : -1
    if (id && index < 0 && !allowNewId) throw PortholeError.of('NOT_FOUND', `No saved target with id ${id}`)
    if (index >= 0) {
      const updated: Target = {
        ...fields,
        id: targets[index]!.id,
        createdAt: targets[index]!.createdAt,
        updatedAt: stamp,
      }
      targets[index] = updated
      return updated
    }
    const created: Target = { ...fields, id: id ?? newTargetId(), createdAt: stamp, updatedAt: stamp }
    targets.push(created)
    return created
  }

  // Validate (and if needed quarantine) at open, so `problem` is known before the first call.
  read()

  return {
    path: backend.path,
    get problem() {
      return problem
    },
    list: () => exclusive(() => sortByName(read().targets).map(clone)),
    get: (id) => exclusive(() => clone(read().targets.find((t) => t.id === id))),
    save: (input) =>
      exclusive(() => {
        const targets = read().targets
        const saved = upsert(targets, input)
        write(targets)
        return clone(saved)
      }),
    delete: (id) =>
      exclusive(() => {
        const targets = read().targets
        targets.splice(find(targets, id), 1)
        write(targets)
      }),
    duplicate: (id) =>
      exclusive(() => {
        const targets = read().targets
        // A pinned proxy port belongs to one target: the copy picks its own on first start.
        const {
          id: _id,
          createdAt: _c,
          updatedAt: _u,
          proxyPort: _p,
          ...source
        } = targets[find(targets, id)]!
        const copy = upsert(targets, { ...source, name: `${source.name} copy`.slice(0, 80) })
        write(targets)
        return clone(copy)
      }),
    importJson: (text) =>
      exclusive(() => {
        const incoming = parseTargetsFile(text)
        const targets = read().targets
        let added = 0
        let updated = 0
        for (const item of incoming) {
          const exists = item.id !== undefined && targets.some((t) => t.id === item.id)
          upsert(targets, toTargetInput(item), true)
          if (exists) updated++
          else added++
        }
        write(targets)
        return { added, updated }
      }),
    exportJson: () => exclusive(() => formatTargetsFile(sortByName(read().targets))),
    onChange: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

function sortByName(targets: Target[]): Target[] {
  return [...targets].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value)
}
