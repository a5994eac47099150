// The gate's authentication decision for one login, apart from the socket handling: rds_iam members
// present an IAM token (checked as RDS does, then the rds-db:connect policy); every other role, and a
// role that does not exist, presents a password checked against its stored verifier. Sources:
// docs/simulator.md, "RDS IAM gate" (docs/rds-iam.md §A.2, §A.3, §B.1).
import { passwordMatches } from './password-verifier'
import { pamFailure, passwordFailure } from './rds-errors'
import { type LookupPrincipal, type RdsPrincipal, validateRdsToken } from './rds-token-validator'
import type { RoleDirectory } from './role-directory'

/** Per-principal policy check, e.g. the simulator IAM's `isAllowed`. */
export type IsAllowed<P> = (principal: P, action: string, resourceArn: string) => boolean | Promise<boolean>

/** What a login is checked against. */
export interface LoginCheck<P extends RdsPrincipal> {
  rdsHost: string
  rdsPort: number
  region: string
  accountId: string
  dbiResourceId: string
  lookupPrincipal: LookupPrincipal<P>
  isAllowed?: IsAllowed<P>
  roles: RoleDirectory
  now: () => number
}

/** Accepted, or refused with the ErrorResponse to send and a reason for debug logs (never a secret). */
export type LoginVerdict = { ok: true; detail: string } | { ok: false; reply: Buffer; detail: string }

/** Decides one login; rejects only when the role lookup itself fails (the upstream is down). */
export async function checkLogin<P extends RdsPrincipal>(
  check: LoginCheck<P>,
  user: string,
  secret: string,
): Promise<LoginVerdict> {
  const auth = await check.roles(user)
  if (auth.method === 'password') {
    // Not an rds_iam member: plain password authentication, where a token is just a wrong password.
    return passwordMatches(auth.verifier, user, secret)
      ? { ok: true, detail: `password authentication succeeded for user "${user}"` }
      : {
          ok: false,
          reply: passwordFailure(user),
          detail: `password authentication failed for user "${user}" (not a member of rds_iam)`,
        }
  }
  const verdict = await validateRdsToken({
    token: secret,
    rdsHost: check.rdsHost,
    rdsPort: check.rdsPort,
    region: check.region,
    dbUser: user,
    lookupPrincipal: check.lookupPrincipal,
    now: check.now(),
  })
  const iamFailed = (reason: string): LoginVerdict => ({
    ok: false,
    reply: pamFailure(user),
    detail: `IAM authentication failed for user "${user}": ${reason}`,
  })
  if (!verdict.ok) return iamFailed(verdict.reason)
  const resource = `arn:aws:rds-db:${check.region}:${check.accountId}:dbuser:${check.dbiResourceId}/${user}`
  if (check.isAllowed && !(await check.isAllowed(verdict.principal, 'rds-db:connect', resource)))
    return iamFailed(`${verdict.principal.arn} is not allowed rds-db:connect on ${resource}`)
  return { ok: true, detail: `IAM authentication succeeded for user "${user}"` }
}
