// The SSO token cache shared with the AWS CLI and the SDKs: ~/.aws/sso/cache/<sha1>.json, keyed by
// the sso-session name (or the start URL for legacy profiles), with the fields `aws sso login`
// writes (docs/sso-and-discovery.md). Written atomically with mode 0600: it holds bearer secrets.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The cache file's fields (the SDK's SSOToken shape). Times are RFC 3339 strings. */
export interface SsoTokenFile {
  accessToken: string
  expiresAt: string
  refreshToken?: string
  clientId?: string
  clientSecret?: string
  registrationExpiresAt?: string
  region?: string
  startUrl?: string
}

/** Identifies a cache file: the session name when there is one, else the start URL. */
export interface SsoCacheId {
  sessionName?: string
  startUrl: string
}

/** The home directory as the SDK's getHomeDir sees it. */
export function homeDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.HOME ||
    env.USERPROFILE ||
    (env.HOMEDRIVE && env.HOMEPATH ? `${env.HOMEDRIVE}${env.HOMEPATH}` : homedir())
  )
}

/** ~/.aws/sso/cache/<sha1(session name or start URL)>.json */
export function ssoTokenPath(id: SsoCacheId, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha1')
    .update(id.sessionName ?? id.startUrl)
    .digest('hex')
  return join(homeDirOf(env), '.aws', 'sso', 'cache', `${key}.json`)
}

/** RFC 3339 without milliseconds, as the AWS CLI writes it. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The cached token, or undefined when the file is missing or not a token. */
export async function readSsoToken(
  id: SsoCacheId,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SsoTokenFile | undefined> {
  let text: string
  try {
    text = await readFile(ssoTokenPath(id, env), 'utf8')
  } catch {
    return undefined
  }
  try {
    const t = JSON.parse(text) as Partial<SsoTokenFile>
    if (typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'string') return undefined
    if (Number.isNaN(Date.parse(t.expiresAt))) return undefined
    return t as SsoTokenFile
  } catch {
    return undefined
  }
}

/** Writes the token file atomically (temp file + rename), directory 0700, file 0600. */
export async function writeSsoToken(
  id: SsoCacheId,
  token: SsoTokenFile,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const path = ssoTokenPath(id, env)
  const dir = join(path, '..')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 })
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  return path
}

/** Sign-in state of a cache entry, for the profile list. */
export function tokenState(
  token: SsoTokenFile | undefined,
  now = Date.now(),
): { state: 'valid' | 'expired' | 'missing'; expiresAt: number | null; refreshable: boolean } {
  if (!token) return { state: 'missing', expiresAt: null, refreshable: false }
  const expiresAt = Date.parse(token.expiresAt)
  const regOk = !token.registrationExpiresAt || Date.parse(token.registrationExpiresAt) > now
  const refreshable = Boolean(token.refreshToken && token.clientId && token.clientSecret && regOk)
  return { state: expiresAt > now ? 'valid' : 'expired', expiresAt, refreshable }
}
