// Profiles for the target editor, read with the SDK's own shared-ini loader so names, `[profile x]`
// prefixes and AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE behave exactly as the SDK sees them.
import { loadSharedConfigFiles } from '@smithy/core/config'

export interface ProfileInfo {
  name: string
  region?: string
  /** What kind of credentials the profile holds, for display. */
  kind: 'static' | 'sso' | 'assume-role' | 'process' | 'web-identity' | 'other'
  mfa: boolean
  /** SSO profiles: the [sso-session] name, or the legacy start URL. */
  ssoSession?: string
  ssoStartUrl?: string
}

function kindOf(p: Record<string, string | undefined>): ProfileInfo['kind'] {
  if (p.role_arn) return p.web_identity_token_file ? 'web-identity' : 'assume-role'
  if (p.aws_access_key_id) return 'static'
  if (p.credential_process) return 'process'
  if (p.sso_session || p.sso_start_url) return 'sso'
  return 'other'
}

/** Lists profiles from the shared config and credentials files, sorted by name. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const files = await loadSharedConfigFiles({
    filepath: env.AWS_SHARED_CREDENTIALS_FILE,
    configFilepath: env.AWS_CONFIG_FILE,
    ignoreCache: true,
  })
  // The loader keys [sso-session x] and [services x] sections as "sso-session.x" / "services.x".
  const configProfiles = Object.keys(files.configFile).filter((k) => !/^(sso-session|services)\./.test(k))
  const names = new Set([...configProfiles, ...Object.keys(files.credentialsFile)])
  const out: ProfileInfo[] = []
  for (const name of names) {
    const merged = { ...files.configFile[name], ...files.credentialsFile[name] }
    const session = merged.sso_session ? files.configFile[`sso-session.${merged.sso_session}`] : undefined
    out.push({
      name,
      region: merged.region,
      kind: kindOf(merged),
      mfa: Boolean(merged.mfa_serial),
      ssoSession: merged.sso_session,
      ssoStartUrl: session?.sso_start_url ?? merged.sso_start_url,
    })
  }
  return out.sort((a, b) => a.name.localeCompare(b.name))
}

/** The profile the SDK uses when none is named: AWS_PROFILE, else `default`. */
export function defaultProfileName(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_PROFILE || 'default'
}

/** Whether any AWS credentials are visible: env keys, a profile, or a container/web identity. */
export async function awsConfigured(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true
  if (env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return true
  try {
    return (await listProfiles(env)).length > 0
  } catch {
    return false
  }
}

/** Profile names only, as the target editor's list (engine `listProfiles`). */
export async function listProfileNames(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  try {
    return (await listProfiles(env)).map((p) => p.name)
  } catch {
    return []
  }
}
