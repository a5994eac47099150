// Target CRUD for the fake API, validated with the real shared schema so the form sees exactly
// the field messages the engine would send (VALIDATION with `issues`).
import { DEMO } from '../../../shared/demo'
import { PortholeError } from '../../../shared/errors'
import type { PortholeHandlers } from '../../../shared/ipc/contract'
import {
  fieldIssues,
  type Target,
  type TargetId,
  targetInputSchema,
  targetsFileSchema,
} from '../../../shared/target-schema'

type Handlers = Pick<
  PortholeHandlers,
  | 'listTargets'
  | 'saveTarget'
  | 'deleteTarget'
  | 'duplicateTarget'
  | 'createDemoTarget'
  | 'importTargets'
  | 'previewImport'
  | 'exportTargets'
  | 'listProfiles'
>

/** Callbacks the target handlers need from the rest of the fake. */
export interface FakeTargetHooks {
  onChanged(targets: Target[]): void
  onDeleted(id: TargetId): Promise<void>
}

function newId(): TargetId {
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  let s = 't_'
  for (let i = 0; i < 12; i++) s += abc[Math.floor(Math.random() * abc.length)]
  return s as TargetId
}

/** Creates the in-memory target store and its handlers. */
export function createFakeTargets(hooks: FakeTargetHooks): { handlers: Handlers; get(id: string): Target } {
  const targets = new Map<string, Target>()
  const sorted = (): Target[] => [...targets.values()].sort((a, b) => a.name.localeCompare(b.name))
  const changed = (): void => hooks.onChanged(sorted())

  const get = (id: string): Target => {
    const t = targets.get(id)
    if (!t)
      throw PortholeError.of('NOT_FOUND', `No target with id ${id}`, { hint: 'Reload the target list.' })
    return t
  }

  const upsert = (input: unknown, prefix = ''): Target => {
    const parsed = targetInputSchema.safeParse(input)
    if (!parsed.success) {
      const issues = fieldIssues(parsed.error, prefix)
      throw PortholeError.of('VALIDATION', `${issues[0]!.path} ${issues[0]!.message}`, { issues })
    }
    const now = new Date().toISOString()
    const prev = parsed.data.id ? get(parsed.data.id) : null
    const target: Target = {
      ...parsed.data,
      id: prev?.id ?? newId(),
      createdAt: prev?.createdAt ?? now,
      updatedAt: now,
    }
    targets.set(target.id, target)
    return target
  }

  const handlers: Handlers = {
    listTargets: async () => sorted(),
    saveTarget: async (input) => {
      const t = upsert(input)
      changed()
      return t
    },
    deleteTarget: async ({ targetId }) => {
      get(targetId)
      await hooks.onDeleted(targetId)
      targets.delete(targetId)
      changed()
      return { deleted: true }
    },
    duplicateTarget: async ({ targetId }) => {
      const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = get(targetId)
      const t = upsert({ ...rest, name: `${rest.name} copy`.slice(0, 80) })
      changed()
      return t
    },
    createDemoTarget: async () => {
      const existing = sorted().find((t) => t.demo)
      if (existing) return existing
      const t = upsert({
        name: DEMO.targetName,
        region: DEMO.region,
        instanceId: DEMO.instanceId,
        rdsHost: DEMO.rdsHost,
        rdsPort: DEMO.rdsPort,
        database: DEMO.database,
        dbUser: DEMO.dbUser,
        color: 'purple',
        tags: ['demo'],
        demo: true,
      })
      changed()
      return t
    },
    importTargets: async ({ json }) => {
      let file: unknown
      try {
        file = JSON.parse(json)
      } catch {
        throw PortholeError.of('VALIDATION', 'The file is not JSON', {
          hint: 'Choose a Porthole export file.',
        })
      }
      const parsed = targetsFileSchema.safeParse(file)
      if (!parsed.success) {
        throw PortholeError.of('VALIDATION', 'Not a Porthole targets file', {
          issues: fieldIssues(parsed.error),
        })
      }
      // All-or-nothing: validate every entry before keeping any.
      const before = new Map(targets)
      let added = 0
      let updated = 0
      try {
        parsed.data.targets.forEach((raw, i) => {
          const known = typeof raw === 'object' && raw && 'id' in raw && targets.has(String(raw.id))
          const { createdAt: _c, updatedAt: _u, ...input } = raw as Record<string, unknown>
          upsert(known ? input : { ...input, id: undefined }, `targets[${i}].`)
          if (known) updated++
          else added++
        })
      } catch (err) {
        targets.clear()
        for (const [k, v] of before) targets.set(k, v)
        throw err
      }
      changed()
      return { added, updated }
    },
    previewImport: async ({ json }) => {
      // The fake's preview: by id, compared field by field (the engine's plan also checks names).
      const preview: Awaited<ReturnType<Handlers['previewImport']>> = {
        added: [],
        updated: [],
        unchanged: [],
      }
      const parsed = targetsFileSchema.safeParse(safeJson(json))
      if (!parsed.success) throw PortholeError.of('VALIDATION', 'Not a Porthole targets file')
      parsed.data.targets.forEach((raw, i) => {
        const r = targetInputSchema.safeParse(omitTimes(raw))
        if (!r.success) {
          const issues = fieldIssues(r.error, `targets[${i}].`)
          throw PortholeError.of('VALIDATION', `${issues[0]!.path} ${issues[0]!.message}`, { issues })
        }
        const saved = r.data.id ? targets.get(r.data.id) : undefined
        const entry = { name: r.data.name, ...(r.data.id ? { id: r.data.id } : {}) }
        if (!saved) {
          preview.added.push({ ...entry, changes: [] })
          return
        }
        const changes = Object.keys(r.data).filter(
          (k) =>
            k !== 'id' &&
            JSON.stringify((r.data as Record<string, unknown>)[k]) !==
              JSON.stringify((saved as Record<string, unknown>)[k]),
        )
        if (changes.length) preview.updated.push({ ...entry, changes })
        else preview.unchanged.push({ ...entry, changes })
      })
      return preview
    },
    exportTargets: async () => ({
      json: JSON.stringify({ porthole: 'targets', version: 1, targets: sorted() }, null, 2),
    }),
    listProfiles: async () => ['default', 'dev', 'staging', 'prod-readonly', 'mfa'],
  }
  return { handlers, get }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw PortholeError.of('VALIDATION', 'The file is not JSON', { hint: 'Choose a Porthole export file.' })
  }
}

function omitTimes(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw
  const { createdAt: _c, updatedAt: _u, ...rest } = raw as Record<string, unknown>
  return rest
}
