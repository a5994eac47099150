// Form values ⇄ TargetInput, and schema issues → per-field messages. Validation is the shared
// zod schema itself, so the form and the engine can never disagree about what is valid.
import type { ErrorInfo } from '../../../shared/errors'
import { fieldIssues, type Target, type TargetInput, targetInputSchema } from '../../../shared/target-schema'

export type FormValues = Record<
  | 'name'
  | 'engine'
  | 'awsProfile'
  | 'region'
  | 'instanceId'
  | 'rdsHost'
  | 'rdsPort'
  | 'database'
  | 'dbUser'
  | 'localPort'
  | 'tags'
  | 'color'
  | 'endpointUrl'
  | 'caFile'
  | 'sessionPool'
  | 'proxyPort'
  | 'proxyCloseTunnelAfterMinutes',
  string
>

/** Field name → message. */
export type FieldErrors = Partial<Record<keyof FormValues | 'form', string>>

/** Initial values for a new target or an existing one. */
export function toFormValues(t: Target | null): FormValues {
  return {
    name: t?.name ?? '',
    engine: t?.engine ?? 'postgres',
    awsProfile: t?.awsProfile ?? '',
    region: t?.region ?? '',
    instanceId: t?.instanceId ?? '',
    rdsHost: t?.rdsHost ?? '',
    rdsPort: String(t?.rdsPort ?? 5432),
    database: t?.database ?? '',
    dbUser: t?.dbUser ?? '',
    localPort: String(t?.localPort ?? 0),
    tags: (t?.tags ?? []).join(', '),
    color: t?.color ?? 'slate',
    endpointUrl: t?.endpointUrl ?? '',
    caFile: t?.caFile ?? '',
    sessionPool: String(t?.sessionPool ?? 1),
    proxyPort: t?.proxyPort ? String(t.proxyPort) : '',
    proxyCloseTunnelAfterMinutes:
      t?.proxyCloseTunnelAfterMinutes === undefined ? '' : String(t.proxyCloseTunnelAfterMinutes),
  }
}

/** Builds the saveTarget argument; blank optional fields are left out so defaults apply. */
export function toInput(v: FormValues, existing: Target | null): TargetInput {
  const opt = (s: string): string | undefined => (s.trim() ? s : undefined)
  // Numbers go to the schema as typed: it accepts digits only (Number() would take 1e3 or 0x10).
  const num = (s: string): string | undefined => (s.trim() ? s.trim() : undefined)
  return {
    ...(existing ? { id: existing.id } : {}),
    name: v.name,
    engine: v.engine as TargetInput['engine'],
    awsProfile: opt(v.awsProfile),
    region: v.region,
    instanceId: v.instanceId,
    rdsHost: v.rdsHost,
    rdsPort: num(v.rdsPort),
    database: v.database,
    dbUser: v.dbUser,
    localPort: num(v.localPort),
    tags: v.tags
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    color: v.color as TargetInput['color'],
    endpointUrl: opt(v.endpointUrl),
    caFile: opt(v.caFile),
    sessionPool: num(v.sessionPool),
    proxyPort: num(v.proxyPort),
    proxyCloseTunnelAfterMinutes: num(v.proxyCloseTunnelAfterMinutes),
    backend: existing?.backend,
    demo: existing?.demo,
  }
}

/** Maps issue paths (`tags[1]`, `rdsPort`) to the field that shows them; first message wins. */
export function issuesToErrors(issues: { path: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {}
  for (const i of issues) {
    const field = (/^[A-Za-z]+/.exec(i.path)?.[0] ?? 'form') as keyof FieldErrors
    if (!out[field]) out[field] = i.message
  }
  return out
}

/** Validates locally with the shared schema. */
export function validate(input: TargetInput): FieldErrors {
  const r = targetInputSchema.safeParse(input)
  return r.success ? {} : issuesToErrors(fieldIssues(r.error))
}

/** Field errors from a server rejection (VALIDATION issues, or the message on the form). */
export function serverErrors(error: ErrorInfo): FieldErrors {
  if (error.issues?.length) return issuesToErrors(error.issues)
  return { form: error.hint ? `${error.message}. ${error.hint}` : error.message }
}
