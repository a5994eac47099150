// The saved database target: the one persisted, user-typed shape both processes agree on.
// Every field is described, so the editor, the CLI and import errors can name it.
import * as z from 'zod'

/** Branded id of a saved target (`t_` + 12 url-safe chars), never a bare string in signatures. */
export type TargetId = string & { readonly __brand: 'TargetId' }

export const TARGET_ID_PATTERN = /^t_[A-Za-z0-9_-]{6,40}$/
export const targetIdSchema = z
  .string()
  .regex(TARGET_ID_PATTERN, 'must look like t_xxxxxxxx')
  .transform((s) => s as TargetId)
  .describe('Stable id of the target')

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

/** A whole number given as a number or as decimal digits only (the CLI and form send strings). */
function wholeNumber(): z.ZodPreprocess<z.ZodNumber, unknown> {
  return z.preprocess(
    (value) => (typeof value === 'string' && DIGITS_PATTERN.test(value.trim()) ? Number(value) : value),
    z.number({ error: 'must be a whole number written in digits' }).int('must be a whole number'),
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

/** Fields a user types (create/update/import). `id` is optional: absent means "create". */
export const targetInputSchema = z
  .object({
    id: targetIdSchema.optional(),
    name: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(80, 'is longer than 80 characters')
      .refine((v) => !INVISIBLE_PATTERN.test(v), 'must not contain control or invisible format characters')
      .describe('Display name'),
    engine: z.enum(ENGINES).default('postgres').describe('Database engine: postgres or mysql'),
    awsProfile: z
      .string()
      .trim()
      .regex(PROFILE_PATTERN, 'is not a valid AWS profile name')
      .optional()
      .describe('Shared-config profile; empty means the default credential chain'),
    region: z
      .string()
      .trim()
      .regex(REGION_PATTERN, 'is not an AWS region such as us-east-1')
      .describe('AWS region of the instance and database'),
    instanceId: z
      .string()
      .trim()
      .regex(INSTANCE_ID_PATTERN, 'must be an SSM managed instance id such as i-0123456789abcdef0')
      .describe('SSM-managed EC2 instance that forwards to the database'),
    rdsHost: z
      .string()
      .trim()
      .toLowerCase()
      .regex(HOSTNAME_PATTERN, 'must be the RDS endpoint host name, not a URL')
      .describe('RDS endpoint host name (used to sign tokens and verify TLS)'),
    rdsPort: wholeNumber()
      .pipe(z.number().min(1, 'must be 1-65535').max(65535, 'must be 1-65535'))
      .default(5432)
      .describe('RDS endpoint port'),
    database: z
      .string()
      .trim()
      .regex(DB_NAME_PATTERN, 'is not a valid database name')
      .describe('Database to open'),
    dbUser: z
      .string()
      .trim()
      .regex(DB_NAME_PATTERN, 'is not a valid database user name')
      .describe('IAM database user (case-sensitive)'),
    localPort: wholeNumber()
      .pipe(z.number().min(0, 'must be 0-65535').max(65535, 'must be 0-65535'))
      .default(0)
      .describe('Local loopback port; 0 picks a free one'),
    tags: z
      .array(z.string().trim().min(1).max(32))
      .max(10)
      .default([])
      .describe('Free-form tags such as prod or eu'),
    color: z.enum(TARGET_COLORS).default('slate').describe('Environment colour shown in the list'),
    endpointUrl: z
      .string()
      .trim()
      .url('must be a URL such as https://ssm.example.internal')
      .refine(isHttpUrl, 'must be an http:// or https:// URL')
      .optional()
      .describe('Per-target AWS endpoint override (all services), e.g. a simulator'),
    caFile: z.string().trim().min(1).optional().describe('PEM CA bundle to trust instead of the RDS CA set'),
    sessionPool: wholeNumber()
      .pipe(z.number().min(1, 'must be 1-8').max(8, 'must be 1-8'))
      .default(1)
      .describe('SSM sessions per tunnel (each is rate-capped)'),
    backend: z
      .enum(['native', 'plugin'])
      .default('native')
      .describe('native data channel or session-manager-plugin'),
    demo: z.boolean().default(false).describe('Backed by the built-in AWS simulator'),
    proxyPort: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1-65535')
      .max(65535, 'must be 1-65535')
      .optional()
      .describe('Pinned loopback port of the local auth proxy; chosen on first start when absent'),
    proxyCloseTunnelAfterMinutes: z.coerce
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0-1440')
      .max(1440, 'must be 0-1440')
      .optional()
      .describe(
        'Close the tunnel this many minutes after the last proxy client left; absent = leave it open',
      ),
  })
  .strict()

/** A stored target: input plus identity and timestamps. */
export const targetSchema = targetInputSchema.extend({
  id: targetIdSchema,
  createdAt: z.string().datetime().describe('ISO time of creation'),
  updatedAt: z.string().datetime().describe('ISO time of the last change'),
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
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('')
    return { path: prefix + path, message: issue.message }
  })
}
