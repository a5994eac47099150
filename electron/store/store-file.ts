// The on-disk shape of the target store and the check that runs BEFORE the store backend touches
// the file: conf throws on unparsable JSON (or silently empties it with clearInvalidConfig), and
// neither is acceptable for a user's saved targets. A bad file is moved aside, never dropped.
import { existsSync, readFileSync, renameSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { ErrorInfo } from '../../shared/errors'
import { fieldIssues, targetSchema } from '../../shared/target-schema'
import * as z from '../../shared/zod-mini'

export const STORE_VERSION = 1
export const STORE_CONFIG_NAME = 'targets'

/** What the store file holds. Unknown top-level keys (e.g. conf's `__internal__`) are ignored. */
export const storeDataSchema = z.object({
  version: z.literal(STORE_VERSION),
  targets: z.array(targetSchema),
})
export type StoreData = z.output<typeof storeDataSchema>

/** Result of validating raw store content: the data, or a one-line reason it is unusable. */
export type StoreParse = { ok: true; data: StoreData } | { ok: false; reason: string }

/** Validates already-deserialised store content; `undefined`/`{}` (no file yet) is an empty store. */
export function parseStoreData(raw: unknown): StoreParse {
  if (raw === undefined || (isPlainObject(raw) && Object.keys(raw).length === 0)) {
    return { ok: true, data: { version: STORE_VERSION, targets: [] } }
  }
  const parsed = storeDataSchema.safeParse(raw)
  if (parsed.success) return { ok: true, data: parsed.data }
  const first = fieldIssues(parsed.error)[0]
  return { ok: false, reason: first ? `${first.path || 'file'} ${first.message}` : 'invalid' }
}

/** Reads and validates the file at `path`; a missing file is an empty store. */
export function readStoreFile(path: string): StoreParse {
  if (!existsSync(path)) return parseStoreData(undefined)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${err instanceof Error ? err.message : String(err)})` }
  }
  return parseStoreData(raw)
}

/**
 * The name a corrupt file is kept under: `targets.corrupt-<ISO time>.json`. Colons in the ISO
 * time become dashes so the name is valid on Windows too.
 */
export function corruptPathFor(path: string, now: Date = new Date()): string {
  const stem = basename(path).replace(/\.json$/, '')
  const stamp = now.toISOString().replace(/:/g, '-')
  return join(dirname(path), `${stem}.corrupt-${stamp}.json`)
}

/** Moves a corrupt file aside and returns the STORE_CORRUPT problem that names where it went. */
export function quarantineStoreFile(path: string, reason: string, now: Date = new Date()): ErrorInfo {
  let aside = corruptPathFor(path, now)
  // Two corruptions in the same millisecond must not overwrite the first kept copy.
  for (let n = 1; existsSync(aside); n++) aside = aside.replace(/(-\d+)?\.json$/, `-${n}.json`)
  renameSync(path, aside)
  return {
    code: 'STORE_CORRUPT',
    message: `The saved targets file could not be read (${reason}); it was kept aside as ${aside} and Porthole started with no targets.`,
    hint: `Fix or import the kept file (Import targets) to restore your targets: ${aside}`,
  }
}

/**
 * Checks the store file before a Conf-like backend opens it. Returns null when the file is absent
 * or valid; otherwise moves it aside and returns the problem to report.
 */
export function preflightStoreFile(path: string, now: Date = new Date()): ErrorInfo | null {
  const result = readStoreFile(path)
  return result.ok ? null : quarantineStoreFile(path, result.reason, now)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
