// Parses the import/export JSON format. All-or-nothing: every problem in every target is collected
// and named `targets[i].field`, so the user fixes the file once instead of one error at a time.
import { PortholeError } from '../../shared/errors'
import {
  type FieldIssue,
  fieldIssues,
  type Target,
  type TargetInput,
  targetInputSchema,
  targetsFileSchema,
} from '../../shared/target-schema'
import * as z from '../../shared/zod-mini'

// Exported targets carry their timestamps; importing them back must not fail on those fields.
const importedTargetSchema = z.extend(targetInputSchema, {
  createdAt: z.optional(z.string().check(z.iso.datetime())),
  updatedAt: z.optional(z.string().check(z.iso.datetime())),
})

export type ImportedTarget = z.output<typeof importedTargetSchema>

/**
 * Caps on what one import may bring (issue 11 item 14): an import file is read whole and every
 * target in it is validated and shown in a preview, so size is bounded before any of that happens.
 */
export const MAX_IMPORT_BYTES = 1024 * 1024
/** The most targets a store holds (and so the most one import can bring). */
export const MAX_TARGETS = 1000

/** The export text for `targets` (the versioned file format, pretty-printed). */
export function formatTargetsFile(targets: Target[]): string {
  return `${JSON.stringify({ porthole: 'targets', version: 1, targets }, null, 2)}\n`
}

/**
 * Parses import text: the versioned file (`{porthole:'targets', version:1, targets}`) or a bare
 * array of targets. Throws VALIDATION whose `issues` name every bad field as `targets[i].field`.
 */
export function parseTargetsFile(text: string): ImportedTarget[] {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_IMPORT_BYTES) {
    throw invalid([
      { path: '', message: `is ${bytes} bytes; an import file may be at most ${MAX_IMPORT_BYTES}` },
    ])
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    throw invalid([{ path: '', message: `is not valid JSON (${why})` }])
  }
  let items: unknown[]
  if (Array.isArray(raw)) {
    items = raw
  } else {
    const file = targetsFileSchema.safeParse(raw)
    if (!file.success) throw invalid(fieldIssues(file.error))
    items = file.data.targets
  }
  if (items.length > MAX_TARGETS) {
    throw invalid([
      { path: 'targets', message: `holds ${items.length} targets; at most ${MAX_TARGETS} can be imported` },
    ])
  }
  const issues: FieldIssue[] = []
  const out: ImportedTarget[] = []
  const seenIds = new Set<string>()
  items.forEach((item, i) => {
    const parsed = importedTargetSchema.safeParse(item)
    if (!parsed.success) {
      for (const issue of fieldIssues(parsed.error)) {
        issues.push({
          path: issue.path ? `targets[${i}].${issue.path}` : `targets[${i}]`,
          message: issue.message,
        })
      }
      return
    }
    if (parsed.data.id && seenIds.has(parsed.data.id)) {
      issues.push({ path: `targets[${i}].id`, message: 'appears twice in the file' })
    }
    if (parsed.data.id) seenIds.add(parsed.data.id)
    out.push(parsed.data)
  })
  if (issues.length > 0) throw invalid(issues)
  return out
}

/** Drops the timestamps so an imported target can go through the normal save path. */
export function toTargetInput(imported: ImportedTarget): TargetInput {
  const { createdAt: _c, updatedAt: _u, ...input } = imported
  return input
}

/** Refusal of an import (or save) with every field issue named; nothing is changed. */
export function invalid(issues: FieldIssue[]): PortholeError {
  const first = issues[0]
  const where = first ? `${first.path ? `${first.path} ` : ''}${first.message}` : 'invalid'
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
  return PortholeError.of('VALIDATION', `Import refused, nothing was changed: ${where}${more}`, { issues })
}
