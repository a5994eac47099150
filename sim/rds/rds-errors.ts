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

/**
 * The message for a failed password login (SQLSTATE 28P01): what a role outside rds_iam gets for a
 * wrong password, an IAM token, or a role that does not exist (PostgreSQL never says which).
 */
export function passwordFailure(user: string): Buffer {
  return serializeErrorResponse({
    S: 'FATAL',
    V: 'FATAL',
    C: '28P01',
    M: `password authentication failed for user "${user}"`,
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
