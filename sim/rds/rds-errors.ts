// The FATAL ErrorResponses the RDS IAM gate sends, worded and coded as PostgreSQL/RDS word them
// (spec docs/rds-iam.md §B.1; postgres auth.c and postmaster.c).
import { serializeErrorResponse } from './pg-wire'

/** The exact message RDS sends for any IAM token failure (SQLSTATE 28000, docs/rds-iam.md §B.1). */
export function pamFailure(user: string): Buffer {
  return serializeErrorResponse({
    S: 'FATAL',
    V: 'FATAL',
    C: '28000',
    M: `PAM authentication failed for user "${user}"`,
    F: 'auth.c',
    R: 'auth_failed',
  })
}

/** A startup attempt without TLS, as PostgreSQL 15+ words the hostssl-only rejection. */
export function noEncryption(host: string, user: string, database: string): Buffer {
  return serializeErrorResponse({
    S: 'FATAL',
    V: 'FATAL',
    C: '28000',
    M: `pg_hba.conf rejects connection for host "${host}", user "${user}", database "${database}", no encryption`,
    F: 'auth.c',
    R: 'ClientAuthentication',
  })
}

/** Any other FATAL the server raises while reading the startup or password packets. */
export function fatal(code: string, message: string, routine = 'ProcessStartupPacket'): Buffer {
  return serializeErrorResponse({
    S: 'FATAL',
    V: 'FATAL',
    C: code,
    M: message,
    F: 'postmaster.c',
    R: routine,
  })
}
