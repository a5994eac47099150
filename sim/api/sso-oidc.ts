// IAM Identity Center OIDC (rest-json, unsigned): RegisterClient, StartDeviceAuthorization and
// CreateToken for the device-code and refresh-token grants. The browser step (the user approving
// the code on the verification page) is stood in for by approve/deny/expire, which the admin path
// and the sim's own verification page call.
import { randomBytes } from 'node:crypto'
import { ApiError } from './sigv4-verify'

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/** An OIDC error: HTTP 400/401 with `error` and `error_description` members, as the service sends. */
export class OidcError extends ApiError {
  constructor(
    code: string,
    readonly error: string,
    description: string,
    status = 400,
  ) {
    super(code, description, status)
  }
}

interface Client {
  clientId: string
  clientSecret: string
  expiresAt: number
}

interface DeviceCode {
  deviceCode: string
  userCode: string
  clientId: string
  startUrl: string
  expiresAt: number
  state: 'pending' | 'approved' | 'denied' | 'used'
  lastPollAt: number
  intervalSec: number
}

export interface OidcOptions {
  /** Start URLs this directory answers for (others are refused). */
  startUrls: string[]
  /** Polling interval handed out, seconds (the real service answers 1). */
  intervalSec: number
  /** Device code lifetime, seconds (the real service answers 600). */
  deviceCodeTtlSec: number
  /** Access token lifetime, seconds. */
  accessTokenTtlSec: number
  /** Where the user approves a code (the sim's page). */
  verificationUri: () => string
  now?: () => number
}

type Json = Record<string, unknown>

const str = (body: Json, field: string): string => {
  const v = body[field]
  if (typeof v !== 'string' || !v)
    throw new OidcError('InvalidRequestException', 'invalid_request', `${field} is required`)
  return v
}

/** The OIDC state machine of the simulator. */
export class SimOidc {
  private readonly clients = new Map<string, Client>()
  private readonly codes = new Map<string, DeviceCode>()
  /** accessToken → expiry (ms); the portal checks bearer tokens here. */
  readonly accessTokens = new Map<string, number>()
  private readonly refreshTokens = new Map<string, string>() // refreshToken → clientId
  private readonly now: () => number

  constructor(private readonly options: OidcOptions) {
    this.now = options.now ?? (() => Date.now())
  }

  registerClient(body: Json): Json {
    str(body, 'clientName')
    if (str(body, 'clientType') !== 'public')
      throw new OidcError('InvalidClientMetadataException', 'invalid_client_metadata', 'Invalid client type')
    const issued = Math.floor(this.now() / 1000)
    const client: Client = {
      clientId: randomBytes(16).toString('base64url'),
      clientSecret: randomBytes(48).toString('base64url'),
      expiresAt: (issued + 90 * 86400) * 1000,
    }
    this.clients.set(client.clientId, client)
    return {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: issued,
      clientSecretExpiresAt: client.expiresAt / 1000,
    }
  }

  private client(body: Json): Client {
    const c = this.clients.get(str(body, 'clientId'))
    if (!c || c.clientSecret !== str(body, 'clientSecret') || c.expiresAt < this.now())
      throw new OidcError('InvalidClientException', 'invalid_client', 'Invalid client provided', 401)
    return c
  }

  startDeviceAuthorization(body: Json): Json {
    const client = this.client(body)
    const startUrl = str(body, 'startUrl')
    if (!this.options.startUrls.includes(startUrl))
      throw new OidcError('InvalidRequestException', 'invalid_request', 'Invalid start url')
    const letters = 'BCDFGHJKLMNPQRSTVWXZ'
    const pick = () => [...randomBytes(4)].map((b) => letters[b % letters.length]).join('')
    const code: DeviceCode = {
      deviceCode: randomBytes(48).toString('base64url'),
      userCode: `${pick()}-${pick()}`,
      clientId: client.clientId,
      startUrl,
      expiresAt: this.now() + this.options.deviceCodeTtlSec * 1000,
      state: 'pending',
      lastPollAt: 0,
      intervalSec: this.options.intervalSec,
    }
    this.codes.set(code.deviceCode, code)
    const uri = this.options.verificationUri()
    return {
      deviceCode: code.deviceCode,
      userCode: code.userCode,
      verificationUri: uri,
      verificationUriComplete: `${uri}?user_code=${code.userCode}`,
      expiresIn: this.options.deviceCodeTtlSec,
      interval: this.options.intervalSec,
    }
  }

  createToken(body: Json): Json {
    const client = this.client(body)
    const grant = str(body, 'grantType')
    if (grant === 'refresh_token') {
      const rt = str(body, 'refreshToken')
      if (this.refreshTokens.get(rt) !== client.clientId)
        throw new OidcError('InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided')
      this.refreshTokens.delete(rt) // rotated: a refresh token works once
      return this.issue(client.clientId)
    }
    if (grant !== DEVICE_GRANT)
      throw new OidcError(
        'UnsupportedGrantTypeException',
        'unsupported_grant_type',
        `Unsupported grant type: ${grant}`,
      )
    const code = this.codes.get(str(body, 'deviceCode'))
    if (!code || code.clientId !== client.clientId || code.state === 'used')
      throw new OidcError('InvalidGrantException', 'invalid_grant', 'Invalid grant provided')
    const now = this.now()
    if (now >= code.expiresAt)
      throw new OidcError('ExpiredTokenException', 'expired_token', 'Device code has expired')
    if (code.state === 'denied')
      throw new OidcError('AccessDeniedException', 'access_denied', 'Access denied')
    if (code.state === 'pending') {
      const early = now - code.lastPollAt < code.intervalSec * 1000
      code.lastPollAt = now
      if (early) {
        code.intervalSec += 5 // RFC 8628 §3.5: the client must now wait 5 s longer
        throw new OidcError('SlowDownException', 'slow_down', 'Client is polling too quickly')
      }
      throw new OidcError(
        'AuthorizationPendingException',
        'authorization_pending',
        'Authorization is still pending',
      )
    }
    code.state = 'used'
    return this.issue(client.clientId)
  }

  private issue(clientId: string): Json {
    const accessToken = `aoa${randomBytes(48).toString('base64url')}`
    const refreshToken = `aor${randomBytes(48).toString('base64url')}`
    this.accessTokens.set(accessToken, this.now() + this.options.accessTokenTtlSec * 1000)
    this.refreshTokens.set(refreshToken, clientId)
    return { accessToken, tokenType: 'Bearer', expiresIn: this.options.accessTokenTtlSec, refreshToken }
  }

  /** The browser step: approve, deny or expire a pending code by its user code. */
  decide(userCode: string, decision: 'approve' | 'deny' | 'expire'): boolean {
    const code = [...this.codes.values()].find(
      (c) => c.userCode === userCode.toUpperCase() && c.state === 'pending',
    )
    if (!code) return false
    if (decision === 'approve') code.state = 'approved'
    else if (decision === 'deny') code.state = 'denied'
    else code.expiresAt = this.now()
    return true
  }

  /** User codes still waiting for the browser step (tests and the demo page list them). */
  pendingUserCodes(): string[] {
    const now = this.now()
    return [...this.codes.values()]
      .filter((c) => c.state === 'pending' && c.expiresAt > now)
      .map((c) => c.userCode)
  }

  /** Revokes every access token (tests of an expired sign-in). */
  revokeAll(): void {
    this.accessTokens.clear()
  }
}
