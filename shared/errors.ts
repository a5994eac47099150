// Errors are data at the boundary: a closed set of codes with the words a user needs and whether
// re-authenticating resolves them. Electron keeps only `message` of a thrown Error, so we serialise
// explicitly (Teleport ipcSerializer, Boundary {error} envelope).
// zod/mini: every CLI command loads this module at start (see target-schema.ts).
import * as z from './zod-mini'

export const ERROR_CODES = [
  'VALIDATION', // bad input; `issues` names the fields
  'NOT_FOUND', // unknown target, query or prompt id
  'CONFLICT', // e.g. a tunnel already open for this target
  'STORE_CORRUPT', // the saved targets file could not be read; it was kept aside
  'CREDENTIALS_MISSING', // no AWS credentials in any provider
  'CREDENTIALS_EXPIRED', // expired keys or SSO session: sign in again
  'MFA_REQUIRED', // an MFA code was needed and not given
  'REGION_MISSING',
  'ACCESS_DENIED', // IAM said no; message names action and resource
  'TARGET_NOT_CONNECTED', // the instance is not connected to Systems Manager
  'INVALID_DOCUMENT',
  'THROTTLED',
  'PORT_IN_USE',
  'TUNNEL_NOT_OPEN',
  'TUNNEL_CLOSED', // the session ended (channel_closed, idle timeout, max duration)
  'CONNECT_TO_PORT_FAILED', // the agent could not reach the RDS endpoint
  'TLS_FAILED', // certificate verification failed
  'AUTH_FAILED', // the database refused the IAM token (PAM authentication failed)
  'SQL_ERROR',
  'QUERY_CANCELLED',
  'TIMEOUT',
  'UNAVAILABLE', // a feature that cannot run here (e.g. plugin not on PATH)
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export const errorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string().check(z.describe('What went wrong, in plain words')),
  hint: z.optional(z.string()).check(z.describe('What the user can do about it')),
  resolvableByLogin: z.optional(z.boolean()).check(z.describe('Signing in again (SSO, MFA) fixes it')),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  sql: z.optional(
    z.object({
      sqlstate: z.optional(z.string()),
      position: z.optional(z.number().check(z.int())),
      hint: z.optional(z.string()),
      detail: z.optional(z.string()),
    }),
  ),
})

export type ErrorInfo = z.infer<typeof errorInfoSchema>

/** The one error class that crosses the IPC boundary, in either direction. */
export class PortholeError extends Error {
  readonly code: ErrorCode
  readonly info: ErrorInfo

  constructor(info: ErrorInfo) {
    super(info.message)
    this.name = 'PortholeError'
    this.code = info.code
    this.info = info
  }

  /** Builds an error from a code and message, with optional extra fields. */
  static of(
    code: ErrorCode,
    message: string,
    extra: Omit<Partial<ErrorInfo>, 'code' | 'message'> = {},
  ): PortholeError {
    return new PortholeError({ code, message, ...extra })
  }
}

/** Converts anything thrown into ErrorInfo without leaking stack traces or unknown fields. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof PortholeError) return err.info
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message: message || 'Unexpected error' }
}
