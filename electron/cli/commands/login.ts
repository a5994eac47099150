// `porthole login <profile> [--force]`: IAM Identity Center sign-in from the terminal, sharing the
// token cache with `aws sso login` and the SDK. A cached refresh token renews the session without
// the browser unless --force; otherwise the device flow prints a code and a page to approve it on.
import { parseArgs } from 'node:util'
import { PortholeError } from '../../../shared/errors'
import { createCredentialResolver } from '../../aws/credentials'
import { resolveEndpoint } from '../../aws/endpoints'
import { getCallerIdentity } from '../../aws/profile-identity'
import { listProfiles } from '../../aws/profiles'
import { ssoSessionForProfile } from '../../aws/sso-config'
import { refreshSsoLogin, startDeviceLogin } from '../../aws/sso-login'
import { ssoTokenPath } from '../../aws/sso-token-cache'
import { silentLogger } from '../../base/logger'
import type { CliIo } from '../cli-context'
import { LOGIN_USAGE } from '../usage'

/** Signs the profile in; resolves with the exit code. */
export async function runLoginCommand(
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { force: { type: 'boolean' } },
  })
  const profile = positionals[0]
  if (!profile || positionals.length > 1) {
    io.err(LOGIN_USAGE)
    return 2
  }
  const session = await ssoSessionForProfile(profile, env)
  const deps = { env, endpoint: resolveEndpoint('sso_oidc', {}, env) }
  let expiresAt: string | undefined = values.force
    ? undefined
    : (await refreshSsoLogin(session, deps))?.expiresAt
  if (expiresAt) io.out(`Renewed the session with the cached refresh token.`)
  else {
    const login = await startDeviceLogin(session, deps)
    io.out(`To sign in, open ${login.verificationUriComplete}`)
    io.out(
      `and check that the page shows the code ${login.userCode} (valid ${Math.round((login.expiresAt - Date.now()) / 60_000)} min).`,
    )
    const stop = () => login.cancel()
    process.once('SIGINT', stop)
    try {
      expiresAt = (await login.done).expiresAt
    } finally {
      process.off('SIGINT', stop)
    }
  }
  io.out(`Signed in; token cached at ${ssoTokenPath(session, env)} until ${expiresAt}.`)
  if (session.accountId && session.roleName) {
    const region = (await listProfiles(env)).find((p) => p.name === profile)?.region ?? session.region
    try {
      const me = await getCallerIdentity({
        profile,
        region,
        endpoint: resolveEndpoint('sts', {}, env),
        credentials: createCredentialResolver({ logger: silentLogger, env }).forTarget({ profile }),
      })
      io.out(`You are ${me.arn}`)
    } catch (err) {
      io.err(
        `Signed in, but the role credentials could not be used: ${err instanceof PortholeError ? err.message : String(err)}`,
      )
      return 1
    }
  }
  return 0
}
