// The saved targets, over a Conf-like backend (the JSON file backend in every shell;
// both expose `store` and `path`). Every mutation runs through one promise queue (this process) and
// holds a lock file beside the store (every process: the app and any number of CLIs), so no update
// is lost; the backend writes the file atomically (temp file, then rename), and temp files left by
// a killed writer are swept at open.
//
// Secrets: targets hold none (profiles name credentials; IAM tokens are minted per connection and
// never kept). If a later feature must persist a secret, it goes through Electron's safeStorage in
// the shell and only the ciphertext reaches a store; never this file in plain text.
import { randomBytes } from 'node:crypto'
import { type ErrorInfo, PortholeError } from '../../shared/errors'
import type { ImportPreview, ImportResult } from '../../shared/ipc/models'
import {
  type FieldIssue,
  fieldIssues,
  type Target,
  type TargetId,
  type TargetInput,
  targetInputSchema,
} from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { caFileIssues } from './ca-file-check'
import { nameKey, planImport, previewOf } from './import-plan'
import { parseStoreData, quarantineStoreFile, STORE_VERSION, type StoreData } from './store-file'
import { withFileLock } from './store-lock'
import { formatTargetsFile, invalid, MAX_TARGETS, parseTargetsFile } from './target-import'
import { sweepStaleTempFiles } from './temp-sweep'

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
  /** What importJson would do with `text`, changing nothing. Rejects like importJson. */
  previewImport(text: string): Promise<ImportPreview>
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
  // Mutations also hold the cross-process lock for the duration of the step.
  const exclusive = <T>(step: () => T, mutates = false): Promise<T> => {
    const run = queue.then(() => (mutates ? withFileLock(`${backend.path}.lock`, step) : step()))
    queue = run.catch(() => undefined)
    return run
  }
  const mutation = <T>(step: () => T): Promise<T> => exclusive(step, true)
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
    // Names are how people (and `porthole targets rm <name>`) pick a target: no two may look alike.
    const clash = targets.find((t) => t.id !== id && nameKey(t.name) === nameKey(fields.name))
    if (clash)
      throw invalid([{ path: 'name', message: `"${fields.name}" is already the name of another target` }])
    if (index < 0 && targets.length >= MAX_TARGETS) {
      throw PortholeError.of('VALIDATION', `At most ${MAX_TARGETS} targets can be saved; remove some first`)
    }
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
  const swept = sweepStaleTempFiles(backend.path)
  if (swept.length) logger.info(`removed ${swept.length} temporary file(s) left by an interrupted save`)

  // The CA file is checked before the lock is taken: it is slow I/O on a path the user chose.
  const checkCaFiles = async (
    items: Array<{ caFile?: string | undefined }>,
    prefix: (i: number) => string,
  ) => {
    const issues: FieldIssue[] = await caFileIssues(items, prefix)
    if (issues.length) throw invalid(issues)
  }
  const planFor = (text: string, targets: Target[]) => {
    const { entries, issues } = planImport(targets, parseTargetsFile(text))
    if (issues.length) throw invalid(issues)
    return entries
  }

  return {
    path: backend.path,
    get problem() {
      return problem
    },
    list: () => exclusive(() => sortByName(read().targets).map(clone)),
    get: (id) => exclusive(() => clone(read().targets.find((t) => t.id === id))),
    save: async (input) => {
      const caFile = typeof input.caFile === 'string' ? input.caFile.trim() : undefined
      if (caFile) await checkCaFiles([{ caFile }], () => '')
      return mutation(() => {
        const targets = read().targets
        const saved = upsert(targets, input)
        write(targets)
        return clone(saved)
      })
    },
    delete: (id) =>
      mutation(() => {
        const targets = read().targets
        targets.splice(find(targets, id), 1)
        write(targets)
      }),
    duplicate: (id) =>
      mutation(() => {
        const targets = read().targets
        // A pinned proxy port belongs to one target: the copy picks its own on first start.
        const {
          id: _id,
          createdAt: _c,
          updatedAt: _u,
          proxyPort: _p,
          ...source
        } = targets[find(targets, id)]!
        const copy = upsert(targets, { ...source, name: freeCopyName(targets, source.name) })
        write(targets)
        return clone(copy)
      }),
    importJson: async (text) => {
      // Parse and check outside the lock (fails fast, slow CA checks); plan again under it.
      const draft = planFor(text, read().targets)
      await checkCaFiles(
        draft.map((e) => e.input),
        (i) => `targets[${i}].`,
      )
      return mutation(() => {
        const targets = read().targets
        const entries = planFor(text, targets)
        for (const entry of entries) if (entry.kind !== 'unchanged') upsert(targets, entry.input, true)
        const count = (kind: string) => entries.filter((e) => e.kind === kind).length
        // One write and one change event for the whole file, however many targets it holds.
        if (entries.some((e) => e.kind !== 'unchanged')) write(targets)
        return { added: count('added'), updated: count('updated'), unchanged: count('unchanged') }
      })
    },
    previewImport: (text) => exclusive(() => previewOf(planFor(text, read().targets))),
    exportJson: () => exclusive(() => formatTargetsFile(sortByName(read().targets))),
    onChange: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** "<name> copy", or "<name> copy 2", 3, ... when that name is taken (names are unique). */
function freeCopyName(targets: Target[], name: string): string {
  const taken = new Set(targets.map((t) => nameKey(t.name)))
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? ' copy' : ` copy ${n}`
    const candidate = `${name.slice(0, 80 - suffix.length)}${suffix}`
    if (!taken.has(nameKey(candidate))) return candidate
  }
}

function sortByName(targets: Target[]): Target[] {
  return [...targets].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value)
}
