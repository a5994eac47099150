// The saved database target: the one persisted, user-typed shape both processes agree on.
// Every field is described, so the editor, the CLI and import errors can name it.
// zod/mini, not zod: every CLI command validates the store at start, and the mini build constructs
// these schemas in a third of the time (the classic API adds ~50 methods to every schema object).
import * as z from './zod-mini'

/** Branded id of a saved target (`t_` + 12 url-safe chars), never a bare string in signatures. */
export type TargetId = string & { readonly __brand: 'TargetId' }

export const TARGET_ID_PATTERN = /^t_[A-Za-z0-9_-]{6,40}$/
export const targetIdSchema = z
  .pipe(
    z.string().check(z.regex(TARGET_ID_PATTERN, 'must look like t_xxxxxxxx')),
    z.transform((s: string) => s as TargetId),
  )
  .check(z.describe('Stable id of the target'))

// AWS region names such as us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4.
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/
// EC2 instance ids (i-…) and hybrid managed nodes (mi-…), as SSM StartSession accepts them.
export const INSTANCE_ID_PATTERN = /^(i|mi)-[0-9a-f]{8,17}$/
// RFC 1123 host name; RDS endpoints are DNS names such as mydb.abc123.us-east-1.rds.amazonaws.com.
export const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/
// PostgreSQL and MySQL identifiers for users and databases: printable, no quotes or control chars.
// \s already excludes tabs and newlines; \p{Cc} excludes every other control character; \p{Cf}
// excludes format characters such as U+202E (right-to-left override), which make a name display
// as something other than what it is.
const DB_NAME_PATTERN = /^[^\s"'`\\;\p{Cc}\p{Cf}]{1,63}$/u
// Display names may hold spaces, but no control or invisible format characters (same reason).
const INVISIBLE_PATTERN = /[\p{Cc}\p{Cf}]/u
// Ports and counts are typed as decimal digits: Number() would also take "1e3", "0x10" or "".
const DIGITS_PATTERN = /^\d{1,6}$/
const PROFILE_PATTERN = /^[A-Za-z0-9_.+=,@-]{1,64}$/

/** A trimmed string with the given checks, described for the editor, the CLI and import errors. */
function text(description: string, ...checks: z.core.$ZodCheck<string>[]) {
  return z.string().check(z.trim(), ...checks, z.describe(description))
}

/**
 * A whole number in [min, max], given as a number or as decimal digits only (the CLI and form send
 * strings); the range is checked only once the value is a whole number, so one mistake, one message.
 */
function wholeNumber(min: number, max: number) {
  const range = `must be ${min}-${max}`
  return z.pipe(
    z.pipe(
      z.transform((value: unknown) =>
        typeof value === 'string' && DIGITS_PATTERN.test(value.trim()) ? Number(value) : value,
      ),
      z.number({ error: 'must be a whole number written in digits' }).check(z.int('must be a whole number')),
    ),
    z.number().check(z.minimum(min, range), z.maximum(max, range)),
  )
}

/** A number the form may send as text (coerced), whole and in [min, max]. */
function coercedWhole(min: number, max: number, description: string) {
  const range = `must be ${min}-${max}`
  return z.coerce
    .number()
    .check(
      z.int('must be a whole number'),
      z.minimum(min, range),
      z.maximum(max, range),
      z.describe(description),
    )
}

/** Only http(s) endpoints: a `javascript:` or `file:` URL from an imported file must never be used. */
function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

export const TARGET_COLORS = ['slate', 'blue', 'green', 'amber', 'red', 'purple'] as const
export const ENGINES = ['postgres', 'mysql'] as const

/** `schema` with a default, described. */
function withDefault<T extends z.core.SomeType>(
  schema: T,
  value: z.core.util.NoUndefined<z.core.output<T>>,
  description: string,
) {
  return z._default(schema, value).check(z.describe(description))
}

/** Fields a user types (create/update/import). `id` is optional: absent means "create". */
export const targetInputSchema = z.strictObject({
  id: z.optional(targetIdSchema),
  name: text(
    'Display name',
    z.minLength(1, 'is required'),
    z.maxLength(80, 'is longer than 80 characters'),
    z.refine(
      (v: string) => !INVISIBLE_PATTERN.test(v),
      'must not contain control or invisible format characters',
    ),
  ),
  engine: withDefault(z.enum(ENGINES), 'postgres', 'Database engine: postgres or mysql'),
  awsProfile: z.optional(
    text(
      'Shared-config profile; empty means the default credential chain',
      z.regex(PROFILE_PATTERN, 'is not a valid AWS profile name'),
    ),
  ),
  region: text(
    'AWS region of the instance and database',
    z.regex(REGION_PATTERN, 'is not an AWS region such as us-east-1'),
  ),
  instanceId: text(
    'SSM-managed EC2 instance that forwards to the database',
    z.regex(INSTANCE_ID_PATTERN, 'must be an SSM managed instance id such as i-0123456789abcdef0'),
  ),
  rdsHost: text(
    'RDS endpoint host name (used to sign tokens and verify TLS)',
    z.toLowerCase(),
    z.regex(HOSTNAME_PATTERN, 'must be the RDS endpoint host name, not a URL'),
  ),
  rdsPort: withDefault(wholeNumber(1, 65535), 5432, 'RDS endpoint port'),
  database: text('Database to open', z.regex(DB_NAME_PATTERN, 'is not a valid database name')),
  dbUser: text(
    'IAM database user (case-sensitive)',
    z.regex(DB_NAME_PATTERN, 'is not a valid database user name'),
  ),
  localPort: withDefault(wholeNumber(0, 65535), 0, 'Local loopback port; 0 picks a free one'),
  tags: withDefault(
    z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))).check(z.maxLength(10)),
    [],
    'Free-form tags such as prod or eu',
  ),
  color: withDefault(z.enum(TARGET_COLORS), 'slate', 'Environment colour shown in the list'),
  endpointUrl: z.optional(
    text(
      'Per-target AWS endpoint override (all services), e.g. a simulator',
      z.url('must be a URL such as https://ssm.example.internal'),
      z.refine(isHttpUrl, 'must be an http:// or https:// URL'),
    ),
  ),
  caFile: z.optional(text('PEM CA bundle to trust instead of the RDS CA set', z.minLength(1))),
  sessionPool: withDefault(wholeNumber(1, 8), 1, 'SSM sessions per tunnel (each is rate-capped)'),
  backend: withDefault(
    z.enum(['native', 'plugin']),
    'native',
    'native data channel or session-manager-plugin',
  ),
  demo: withDefault(z.boolean(), false, 'Backed by the built-in AWS simulator'),
  proxyPort: z.optional(
    coercedWhole(1, 65535, 'Pinned loopback port of the local auth proxy; chosen on first start when absent'),
  ),
  proxyCloseTunnelAfterMinutes: z.optional(
    coercedWhole(
      0,
      1440,
      'Close the tunnel this many minutes after the last proxy client left; absent = leave it open',
    ),
  ),
})

/** A stored target: input plus identity and timestamps. */
export const targetSchema = z.extend(targetInputSchema, {
  id: targetIdSchema,
  createdAt: z.string().check(z.iso.datetime(), z.describe('ISO time of creation')),
  updatedAt: z.string().check(z.iso.datetime(), z.describe('ISO time of the last change')),
})

export type TargetInput = z.input<typeof targetInputSchema>
export type Target = z.output<typeof targetSchema>

/** The file format of exports and imports: versioned so later formats can migrate. */
export const targetsFileSchema = z.object({
  porthole: z.literal('targets'),
  version: z.literal(1),
  targets: z.array(z.unknown()),
})

/** One field-level problem, named by its path (e.g. `targets[2].region`). */
export interface FieldIssue {
  path: string
  message: string
}

/** Turns zod issues into "field message" pairs the UI and CLI can show next to inputs. */
export function fieldIssues(error: z.core.$ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('')
    return { path: prefix + path, message: issue.message }
  })
}
