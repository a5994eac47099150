// Which IAM Identity Center session a profile signs in to: `sso_session` → [sso-session x]
// (start URL, region, scopes), or the legacy sso_start_url / sso_region on the profile itself.
import { loadSharedConfigFiles } from '@smithy/core/config'
import { PortholeError } from '../../shared/errors'
import type { SsoCacheId } from './sso-token-cache'

export interface SsoSessionConfig extends SsoCacheId {
  profile: string
  region: string
  scopes: string[]
  accountId?: string
  roleName?: string
}

/** Reads the profile's SSO settings; VALIDATION when it has none or they are incomplete. */
export async function ssoSessionForProfile(
  profile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SsoSessionConfig> {
  const files = await loadSharedConfigFiles({
    filepath: env.AWS_SHARED_CREDENTIALS_FILE,
    configFilepath: env.AWS_CONFIG_FILE,
    ignoreCache: true,
  })
  const p = files.configFile[profile]
  if (!p)
    throw PortholeError.of('NOT_FOUND', `No profile "${profile}" in the AWS config file.`, {
      hint: 'Add it with: aws configure sso',
    })
  const base = { profile, accountId: p.sso_account_id, roleName: p.sso_role_name }
  if (p.sso_session) {
    const s = files.configFile[`sso-session.${p.sso_session}`]
    if (!s?.sso_start_url || !s.sso_region)
      throw PortholeError.of(
        'VALIDATION',
        `[sso-session ${p.sso_session}] (used by profile "${profile}") needs sso_start_url and sso_region.`,
      )
    const scopes = (s.sso_registration_scopes ?? 'sso:account:access')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
    return { ...base, sessionName: p.sso_session, startUrl: s.sso_start_url, region: s.sso_region, scopes }
  }
  if (p.sso_start_url && p.sso_region)
    return { ...base, startUrl: p.sso_start_url, region: p.sso_region, scopes: ['sso:account:access'] }
  throw PortholeError.of(
    'VALIDATION',
    `Profile "${profile}" does not sign in through IAM Identity Center (SSO).`,
    {
      hint: 'Only profiles with sso_session or sso_start_url can sign in here.',
    },
  )
}
