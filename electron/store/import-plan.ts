// What an import would do to the saved targets, worked out before anything is written: each
// incoming target is added (new id or none), updated (its id exists and a field differs) or left
// unchanged. The same plan drives the preview (CLI --dry-run, the UI's preview step) and the commit,
// so what the user confirmed is what happens.
import type { ImportPreview } from '../../shared/ipc/models'
import {
  type FieldIssue,
  fieldIssues,
  type Target,
  type TargetId,
  type TargetInput,
  targetInputSchema,
} from '../../shared/target-schema'
import { type ImportedTarget, MAX_TARGETS, toTargetInput } from './target-import'

/** One incoming target and what importing it does. */
export interface PlannedImport {
  kind: 'added' | 'updated' | 'unchanged'
  input: TargetInput
  name: string
  /** Fields that differ from the saved target (updated only). */
  changes: string[]
}

/** The fields compared to tell "updated" from "unchanged" (identity and timestamps excluded). */
const COMPARED = Object.keys(targetInputSchema.shape).filter((k) => k !== 'id')

/** Plans an import over `existing`; `issues` name `targets[i].field` for conflicts (e.g. names). */
export function planImport(
  existing: Target[],
  incoming: ImportedTarget[],
): { entries: PlannedImport[]; issues: FieldIssue[] } {
  const byId = new Map(existing.map((t) => [t.id as string, t]))
  const issues: FieldIssue[] = []
  const entries = incoming.map((item, i): PlannedImport => {
    const input = toTargetInput(item)
    const parsed = targetInputSchema.safeParse(input)
    if (!parsed.success) {
      issues.push(...fieldIssues(parsed.error, `targets[${i}].`))
      return { kind: 'added', input, name: String(input.name), changes: [] }
    }
    const saved = parsed.data.id ? byId.get(parsed.data.id) : undefined
    if (!saved) return { kind: 'added', input, name: parsed.data.name, changes: [] }
    const record = parsed.data as Record<string, unknown>
    const changes = COMPARED.filter(
      (k) =>
        JSON.stringify(record[k] ?? null) !== JSON.stringify((saved as Record<string, unknown>)[k] ?? null),
    )
    return { kind: changes.length ? 'updated' : 'unchanged', input, name: parsed.data.name, changes }
  })
  // Names after the import: every incoming name against the others and against saved targets it
  // does not replace. Refused rather than guessed (issue 11 item 8).
  const finalNames = new Map<string, string>()
  const replaced = new Set(entries.map((e) => e.input.id).filter(Boolean))
  for (const t of existing)
    if (!replaced.has(t.id)) finalNames.set(nameKey(t.name), `a saved target (${t.id})`)
  entries.forEach((e, i) => {
    const key = nameKey(e.name)
    const clash = finalNames.get(key)
    if (clash)
      issues.push({ path: `targets[${i}].name`, message: `"${e.name}" is already the name of ${clash}` })
    else finalNames.set(key, `targets[${i}] in this file`)
  })
  const added = entries.filter((e) => e.kind === 'added').length
  if (existing.length + added > MAX_TARGETS) {
    issues.push({
      path: 'targets',
      message: `would make ${existing.length + added} saved targets; at most ${MAX_TARGETS} are kept`,
    })
  }
  return { entries, issues }
}

/** The preview the contract returns: names (and changed fields) per outcome. */
export function previewOf(entries: PlannedImport[]): ImportPreview {
  const pick = (kind: PlannedImport['kind']) =>
    entries
      .filter((e) => e.kind === kind)
      .map((e) => ({
        name: e.name,
        ...(e.input.id ? { id: e.input.id as TargetId } : {}),
        changes: e.changes,
      }))
  return { added: pick('added'), updated: pick('updated'), unchanged: pick('unchanged') }
}

/** Names compare case-insensitively, after trimming and Unicode normalisation. */
export function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}
