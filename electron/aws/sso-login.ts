// IAM Identity Center sign-in with @aws-sdk/client-sso-oidc: the device authorization flow
// (RegisterClient, StartDeviceAuthorization, CreateToken polling) and the refresh-token grant. The
// result is written to the shared token cache, so the CLI, the SDK and Porthole share one sign-in.
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc'
import { PortholeError } from '../../shared/errors'
import type { SsoSessionConfig } from './sso-config'
import { readSsoToken, rfc3339, type SsoTokenFile, writeSsoToken } from './sso-token-cache'

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
// RFC 8628 §3.5: 5 s when the service names no interval, and 5 s more after each slow_down.
const DEFAULT_INTERVAL_MS = 5000
const SLOW_DOWN_STEP_MS = 5000
// Reuse a cached client registration only if it outlives a working day.
const REGISTRATION_MARGIN_MS = 8 * 3600_000

export interface SsoLoginDeps {
  env?: NodeJS.ProcessEnv
  /** OIDC endpoint override (AWS_ENDPOINT_URL_SSO_OIDC). */
  endpoint?: string
  now?: () => number
  /** Waits between polls; resolves early (rejects) when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

export interface DeviceLogin {
  userCode: string
  verificationUri: string
  verificationUriComplete: string
  /** Epoch ms when the code lapses. */
  expiresAt: number
  /** Resolves with the written token once approved; rejects TIMEOUT, ACCESS_DENIED or cancelled. */
  done: Promise<SsoTokenFile>
  cancel(): void
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })

const errName = (err: unknown) =>
  err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : ''

export const cancelledError = () => PortholeError.of('QUERY_CANCELLED', 'Sign-in was cancelled.')

/** Maps a CreateToken refusal that ends the device flow. */
export function deviceFlowError(err: unknown, session: SsoSessionConfig): PortholeError {
  const name = errName(err)
  if (name === 'ExpiredTokenException')
    return PortholeError.of('TIMEOUT', 'The sign-in code expired before it was approved in the browser.', {
      hint: 'Start the sign-in again and approve the new code within its lifetime.',
    })
  if (name === 'AccessDeniedException')
    return PortholeError.of('ACCESS_DENIED', `Sign-in to ${session.startUrl} was denied in the browser.`, {
      hint: 'Approve the request on the verification page, or ask your administrator for access.',
    })
  if (name === 'InvalidClientException' || name === 'InvalidGrantException')
    return PortholeError.of(
      'CREDENTIALS_EXPIRED',
      'IAM Identity Center no longer accepts this sign-in request.',
      {
        hint: 'Start the sign-in again.',
      },
    )
  if (err instanceof PortholeError) return err
  const message = err instanceof Error ? err.message : String(err)
  return PortholeError.of(
    'INTERNAL',
    `IAM Identity Center sign-in failed: ${name ? `${name}: ` : ''}${message}`,
  )
}

function client(session: SsoSessionConfig, deps: SsoLoginDeps): SSOOIDCClient {
  return new SSOOIDCClient({ region: session.region, endpoint: deps.endpoint, maxAttempts: 3 })
}

async function registration(oidc: SSOOIDCClient, session: SsoSessionConfig, deps: SsoLoginDeps, now: number) {
  const cached = await readSsoToken(session, deps.env)
  const regEnd = cached?.registrationExpiresAt ? Date.parse(cached.registrationExpiresAt) : 0
  if (cached?.clientId && cached.clientSecret && regEnd - now > REGISTRATION_MARGIN_MS)
    return { clientId: cached.clientId, clientSecret: cached.clientSecret, expiresAt: regEnd }
  const reg = await oidc.send(
    new RegisterClientCommand({ clientName: 'porthole', clientType: 'public', scopes: session.scopes }),
  )
  if (!reg.clientId || !reg.clientSecret)
    throw PortholeError.of('INTERNAL', 'IAM Identity Center registered no client id or secret.')
  return {
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    expiresAt: (reg.clientSecretExpiresAt ?? 0) * 1000,
  }
}

function tokenFile(
  session: SsoSessionConfig,
  reg: { clientId: string; clientSecret: string; expiresAt: number },
  out: { accessToken?: string; expiresIn?: number; refreshToken?: string },
  now: number,
): SsoTokenFile {
  if (!out.accessToken)
    throw PortholeError.of('INTERNAL', 'IAM Identity Center answered without an access token.')
  return {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: out.accessToken,
    expiresAt: rfc3339(now + (out.expiresIn ?? 3600) * 1000),
    // Legacy (no sso-session) caches are never refreshed by the SDK; only sessions keep these.
    ...(session.sessionName
      ? {
          clientId: reg.clientId,
          clientSecret: reg.clientSecret,
          registrationExpiresAt: rfc3339(reg.expiresAt),
          ...(out.refreshToken ? { refreshToken: out.refreshToken } : {}),
        }
      : {}),
  }
}

/** Starts the device flow; polling runs in the background until `done` settles. */
export async function startDeviceLogin(
  session: SsoSessionConfig,
  deps: SsoLoginDeps = {},
): Promise<DeviceLogin> {
  const now = deps.now ?? (() => Date.now())
  const sleep = deps.sleep ?? defaultSleep
  const oidc = client(session, deps)
  try {
    const reg = await registration(oidc, session, deps, now())
    const auth = await oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        startUrl: session.startUrl,
      }),
    )
    if (!auth.deviceCode || !auth.userCode || !auth.verificationUri)
      throw PortholeError.of('INTERNAL', 'IAM Identity Center answered without a device code.')
    const expiresAt = now() + (auth.expiresIn ?? 600) * 1000
    const abort = new AbortController()
    const poll = async (): Promise<SsoTokenFile> => {
      let interval = (auth.interval ?? 0) > 0 ? (auth.interval ?? 0) * 1000 : DEFAULT_INTERVAL_MS
      for (;;) {
        await sleep(interval, abort.signal)
        try {
          const out = await oidc.send(
            new CreateTokenCommand({
              clientId: reg.clientId,
              clientSecret: reg.clientSecret,
              grantType: DEVICE_GRANT,
              deviceCode: auth.deviceCode,
            }),
            { abortSignal: abort.signal },
          )
          const token = tokenFile(session, reg, out, now())
          await writeSsoToken(session, token, deps.env)
          return token
        } catch (err) {
          if (abort.signal.aborted) throw cancelledError()
          const name = errName(err)
          if (name === 'AuthorizationPendingException') continue
          if (name === 'SlowDownException') {
            interval += SLOW_DOWN_STEP_MS
            continue
          }
          throw deviceFlowError(err, session)
        }
      }
    }
    const done = poll()
      .catch((err: unknown) => {
        throw abort.signal.aborted ? cancelledError() : deviceFlowError(err, session)
      })
      .finally(() => oidc.destroy())
    done.catch(() => {}) // the caller may only look at it later
    return {
      userCode: auth.userCode,
      verificationUri: auth.verificationUri,
      verificationUriComplete: auth.verificationUriComplete ?? auth.verificationUri,
      expiresAt,
      done,
      cancel: () => abort.abort(cancelledError()),
    }
  } catch (err) {
    oidc.destroy()
    throw deviceFlowError(err, session)
  }
}

/**
 * Renews an sso-session's token with its cached refresh token (as the SDK does near expiry).
 * Resolves undefined when there is nothing to refresh with or the service refuses it.
 */
export async function refreshSsoLogin(
  session: SsoSessionConfig,
  deps: SsoLoginDeps = {},
): Promise<SsoTokenFile | undefined> {
  if (!session.sessionName) return undefined
  const now = deps.now ?? (() => Date.now())
  const cached = await readSsoToken(session, deps.env)
  const regEnd = cached?.registrationExpiresAt ? Date.parse(cached.registrationExpiresAt) : 0
  if (!cached?.refreshToken || !cached.clientId || !cached.clientSecret || regEnd <= now()) return undefined
  const oidc = client(session, deps)
  try {
    const out = await oidc.send(
      new CreateTokenCommand({
        clientId: cached.clientId,
        clientSecret: cached.clientSecret,
        grantType: 'refresh_token',
        refreshToken: cached.refreshToken,
      }),
    )
    const reg = { clientId: cached.clientId, clientSecret: cached.clientSecret, expiresAt: regEnd }
    const token = tokenFile(
      session,
      reg,
      { ...out, refreshToken: out.refreshToken ?? cached.refreshToken },
      now(),
    )
    await writeSsoToken(session, token, deps.env)
    return token
  } catch {
    return undefined
  } finally {
    oidc.destroy()
  }
}
