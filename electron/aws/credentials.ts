// Per-profile AWS credentials, resolved the way the SDK and CLI do (fromNodeProviderChain: env,
// SSO, shared files with assume-role + MFA, credential_process, IMDS) and cached so one MFA prompt
// or one credential_process run serves every token signed during the credentials' lifetime.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import type { Target } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { mapCredentialError } from './aws-errors'
import type { AwsCredentials, MfaCodeProvider } from './aws-types'

/** Resolves credentials; `forceRefresh` bypasses the cache (after the database refused a token). */
export type CredentialProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentials>

/** Where a target's credentials come from: a shared-config profile or injected static keys. */
export interface CredentialSource {
  profile?: string
  static?: AwsCredentials
}

/** A cache key naming a credential source without its secret. */
export function credentialSourceKey(source: CredentialSource): string {
  return source.static ? `static:${source.static.accessKeyId}` : `profile:${source.profile ?? ''}`
}

export interface CredentialResolver {
  /** The cached provider for a target (by its awsProfile) or an explicit source. */
  forTarget(target: Pick<Target, 'awsProfile'> | CredentialSource): CredentialProvider
  /** Forgets every cached credential (e.g. after the user edited ~/.aws files). */
  clear(): void
}

export interface CredentialResolverOptions {
  mfaCodeProvider?: MfaCodeProvider
  logger: Logger
  /** Environment used to find the shared files; defaults to process.env. */
  env?: NodeJS.ProcessEnv
}

// The chain starts a background refresh this close to expiry (SDK behaviour, docs/rds-iam.md §E.2); we match it.
const REFRESH_WINDOW_MS = 5 * 60_000

function isSource(t: Pick<Target, 'awsProfile'> | CredentialSource): t is CredentialSource {
  return 'profile' in t || 'static' in t
}

/** Creates the credential resolver the engine shares between all targets. */
export function createCredentialResolver(options: CredentialResolverOptions): CredentialResolver {
  const env = options.env ?? process.env
  const log = options.logger.child('credentials')
  const byProfile = new Map<string, CredentialProvider>()

  const build = (profile: string | undefined): CredentialProvider => {
    // ignoreCache re-reads ~/.aws files, so keys rotated on disk are seen after a forced refresh.
    const makeChain = (ignoreCache: boolean) =>
      fromNodeProviderChain({
        profile,
        ignoreCache,
        filepath: env.AWS_SHARED_CREDENTIALS_FILE,
        configFilepath: env.AWS_CONFIG_FILE,
        mfaCodeProvider: async (mfaSerial: string) => {
          if (!options.mfaCodeProvider)
            throw Object.assign(new Error('MFA code needed'), { name: 'MfaCancelled' })
          log.info(`MFA code requested for profile ${profile ?? 'default'}`)
          const code = (await options.mfaCodeProvider({ profile: profile ?? 'default', mfaSerial })).trim()
          if (!code) throw Object.assign(new Error('MFA prompt cancelled'), { name: 'MfaCancelled' })
          return code
        },
      })
    let chain = makeChain(false)
    let cached: AwsCredentials | undefined
    let pending: Promise<AwsCredentials> | undefined
    const resolve = (forceRefresh: boolean): Promise<AwsCredentials> => {
      if (forceRefresh && !pending) chain = makeChain(true)
      pending ??= chain({ forceRefresh })
        .then((c) => {
          cached = {
            accessKeyId: c.accessKeyId,
            secretAccessKey: c.secretAccessKey,
            sessionToken: c.sessionToken,
            expiration: c.expiration,
          }
          log.debug(`credentials resolved for profile ${profile ?? 'default'}`)
          return cached
        })
        .catch((err: unknown) => {
          throw mapCredentialError(err, profile)
        })
        .finally(() => {
          pending = undefined
        })
      return pending
    }
    return async (opts) => {
      const fresh =
        cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > REFRESH_WINDOW_MS)
      if (fresh && !opts?.forceRefresh) return cached as AwsCredentials
      return resolve(Boolean(opts?.forceRefresh))
    }
  }

  return {
    forTarget(target) {
      const source: CredentialSource = isSource(target) ? target : { profile: target.awsProfile || undefined }
      if (source.static) {
        const creds = source.static
        return async () => creds
      }
      const key = source.profile ?? ''
      let provider = byProfile.get(key)
      if (!provider) {
        provider = build(source.profile)
        byProfile.set(key, provider)
      }
      return provider
    },
    clear() {
      byProfile.clear()
    },
  }
}
