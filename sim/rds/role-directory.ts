// How RDS for PostgreSQL decides the authentication method for a login role: roles that are members
// of `rds_iam` (directly or through other roles; a superuser is NOT implicitly one) authenticate
// through PAM with an IAM token, every other role with its database password. The gate asks the
// upstream PostgreSQL (as its superuser) rather than trusting a list, so GRANT rds_iam works as on
// RDS. Sources: docs/simulator.md, "RDS IAM gate" (docs/rds-iam.md §A.2, §B.1).
import pg from 'pg'

/** How one role logs in: an IAM token, or a password checked against the stored verifier. */
export type RoleAuth =
  | { method: 'iam' }
  /** `verifier` is pg_authid.rolpassword: SCRAM-SHA-256$…, md5…, or null when no password is set. */
  | { method: 'password'; verifier: string | null }

/**
 * Answers the method for a role name; a role that does not exist is a password role with no password.
 * `close` (when present) ends whatever connection the directory keeps.
 */
export type RoleDirectory = ((user: string) => Promise<RoleAuth>) & { close?(): Promise<void> }

// Membership as pg_hba.conf's "+rds_iam" sees it: followed through pg_auth_members, without the
// superuser shortcut pg_has_role() takes.
const ROLE_AUTH_SQL = `
WITH RECURSIVE granted(oid) AS (
  SELECT oid FROM pg_roles WHERE rolname = $1
  UNION
  SELECT m.roleid FROM pg_auth_members m JOIN granted g ON m.member = g.oid
)
SELECT
  EXISTS (SELECT 1 FROM granted g JOIN pg_roles r ON r.oid = g.oid WHERE r.rolname = 'rds_iam') AS iam,
  (SELECT rolpassword FROM pg_authid WHERE rolname = $1) AS verifier`

/**
 * A directory that asks the upstream PostgreSQL at `adminUrl` (a superuser, to read pg_authid) at
 * every login, over one kept connection: RDS decides in-process from its catalog, so a fresh upstream
 * connection per login (about 10 ms, half the gate's auth time) would be simulator overhead that real
 * RDS does not have. The connection closes when idle, so it never holds a PGlite slot for long.
 */
export function upstreamRoleDirectory(adminUrl: string): RoleDirectory {
  const pool = new pg.Pool({
    connectionString: adminUrl,
    max: 1,
    idleTimeoutMillis: 5_000,
    connectionTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  })
  pool.on('error', () => {}) // an idle connection the upstream dropped; the next login opens another
  const lookup = async (user: string): Promise<RoleAuth> => {
    const res = await pool.query<{ iam: boolean; verifier: string | null }>(ROLE_AUTH_SQL, [user])
    const row = res.rows[0]
    return row?.iam ? { method: 'iam' } : { method: 'password', verifier: row?.verifier ?? null }
  }
  return Object.assign(lookup, { close: () => pool.end() })
}
