// The AWS account features behind the contract: profiles with sign-in state, who-am-I, the in-app
// IAM Identity Center sign-in (refresh first, else the device flow) and discovery. Built once by
// the app engine over the shared credential resolver, which is cleared after each sign-in so the
// next call reads the new token from the shared cache.
import { randomUUID } from 'node:crypto'
import { PortholeError } from '../../shared/errors'
import type { SsoLoginEvent } from '../../shared/ipc/aws-models'
import type { PortholeHandlers } from '../../shared/ipc/contract'
import type { Logger } from '../base/logger'
import type { CredentialResolver } from './credentials'
import { type AwsService, resolveEndpoint } from './endpoints'
import { getCallerIdentity } from './profile-identity'
import { defaultProfileName, listProfiles } from './profiles'
import { ssoSessionForProfile } from './sso-config'
import type { DeviceLogin, SsoLoginDeps } from './sso-login'
import { readSsoToken, tokenState } from './sso-token-cache'

export type AccountHandlers = Pick<
  PortholeHandlers,
  | 'listProfileDetails'
  | 'getCallerIdentity'
  | 'startSsoLogin'
  | 'cancelSsoLogin'
  | 'openSsoVerification'
  | 'discoverResources'
>

export interface AccountServiceOptions {
  resolver: CredentialResolver
  logger: Logger
  env?: NodeJS.ProcessEnv
  /** Delivers sign-in outcomes (bus.emit('onSsoLogin', …)). */
  emit(event: SsoLoginEvent): void
  /** Opens a URL in the system browser (Electron's shell); absent in the web UI and the CLI. */
  openExternal?: (url: string) => Promise<void>
  /** Test seams for the device flow (sleep, clock). */
  loginDeps?: Pick<SsoLoginDeps, 'sleep' | 'now'>
}

/** Only https pages, or the simulator's verification page on loopback, may be opened. */
export function isSafeVerificationUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    if (u.username || u.password) return false
    if (u.protocol === 'https:') return true
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost')
  } catch {
    return false
  }
}

/** Builds the account handlers; `close()` cancels sign-ins still waiting. */
export function createAccountService(options: AccountServiceOptions): AccountHandlers & { close(): void } {
  const env = options.env ?? process.env
  const log = options.logger.child('aws-account')
  const pending = new Map<string, { profile: string; device: DeviceLogin }>()
  const endpointFor = (service: AwsService) => resolveEndpoint(service, {}, env)
  const loginDeps = { env, endpoint: endpointFor('sso_oidc'), ...options.loginDeps }

  const regionOf = async (profile: string | undefined): Promise<string> => {
    const name = profile ?? defaultProfileName(env)
    const found = (await listProfiles(env).catch(() => [])).find((p) => p.name === name)
    return found?.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1'
  }
  const signedIn = (loginId: string, profile: string, expiresAt: number) => {
    options.resolver.clear()
    log.info(`profile ${profile} signed in to IAM Identity Center`)
    options.emit({ loginId, profile, state: 'signed-in', error: null, expiresAt })
  }

  return {
    async listProfileDetails() {
      const isDefault = defaultProfileName(env)
      const profiles = await listProfiles(env).catch((err: unknown) => {
        throw PortholeError.of('VALIDATION', `The AWS config files could not be read: ${String(err)}`)
      })
      return Promise.all(
        profiles.map(async (p) => ({
          name: p.name,
          kind: p.kind,
          region: p.region ?? null,
          mfa: p.mfa,
          ssoSession: p.ssoSession ?? null,
          ssoStartUrl: p.ssoStartUrl ?? null,
          signIn:
            p.kind === 'sso' && p.ssoStartUrl
              ? tokenState(await readSsoToken({ sessionName: p.ssoSession, startUrl: p.ssoStartUrl }, env))
              : null,
          isDefault: p.name === isDefault,
        })),
      )
    },

    async getCallerIdentity({ profile }) {
      return getCallerIdentity({
        profile,
        region: await regionOf(profile),
        endpoint: endpointFor('sts'),
        credentials: options.resolver.forTarget({ profile }),
      })
    },

    async startSsoLogin({ profile }) {
      const session = await ssoSessionForProfile(profile, env)
      const loginId = randomUUID()
      // The OIDC client loads on first sign-in, not with every command that builds this service.
      const { refreshSsoLogin, startDeviceLogin } = await import('./sso-login')
      const renewed = await refreshSsoLogin(session, loginDeps)
      if (renewed) {
        const expiresAt = Date.parse(renewed.expiresAt)
        signedIn(loginId, profile, expiresAt)
        return {
          loginId,
          profile,
          refreshed: true,
          userCode: null,
          verificationUri: null,
          verificationUriComplete: null,
          expiresAt,
        }
      }
      const device = await startDeviceLogin(session, loginDeps)
      pending.set(loginId, { profile, device })
      log.info(
        `sign-in for profile ${profile} waits for code ${device.userCode} at ${device.verificationUri}`,
      )
      device.done
        .then((token) => signedIn(loginId, profile, Date.parse(token.expiresAt)))
        .catch((err: unknown) => {
          const info =
            err instanceof PortholeError ? err.info : { code: 'INTERNAL' as const, message: String(err) }
          const cancelled = info.code === 'QUERY_CANCELLED'
          log.warn(`sign-in for profile ${profile} ${cancelled ? 'cancelled' : `failed: ${info.message}`}`)
          options.emit({
            loginId,
            profile,
            state: cancelled ? 'cancelled' : 'failed',
            error: cancelled ? null : info,
            expiresAt: null,
          })
        })
        .finally(() => pending.delete(loginId))
      return {
        loginId,
        profile,
        refreshed: false,
        userCode: device.userCode,
        verificationUri: device.verificationUri,
        verificationUriComplete: device.verificationUriComplete,
        expiresAt: device.expiresAt,
      }
    },

    async cancelSsoLogin({ loginId }) {
      const p = pending.get(loginId)
      p?.device.cancel()
      return { cancelled: Boolean(p) }
    },

    async openSsoVerification({ loginId }) {
      const p = pending.get(loginId)
      if (!p) throw PortholeError.of('NOT_FOUND', 'No sign-in is waiting with that id.')
      const url = p.device.verificationUriComplete
      if (!isSafeVerificationUrl(url))
        throw PortholeError.of('VALIDATION', `Refusing to open ${url}: verification pages must be https.`)
      if (!options.openExternal) return { opened: false }
      await options.openExternal(url)
      return { opened: true }
    },

    async discoverResources({ profile, regions }) {
      const credentials = options.resolver.forTarget({ profile })
      await credentials() // one clear error (e.g. sign in again) instead of the same one per API
      // Loaded here: the EC2 and RDS clients cost ~1 s and ~130 MB to load, and `porthole connect`
      // (which builds this service) never discovers anything.
      const { discoverResources } = await import('./discovery')
      return discoverResources({ profile, regions, credentials, endpointFor })
    },

    close() {
      for (const p of pending.values()) p.device.cancel()
    },
  }
}
