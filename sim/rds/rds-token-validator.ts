// Validates an RDS IAM auth token the way RDS does (spec docs/rds-iam.md §A.3): a SigV4
// presigned `GET https://<endpoint>:<port>/?Action=connect&DBUser=…` with the scheme stripped, signed
// for service `rds-db`. The canonical request is rebuilt here with node:crypto only — never with
// @smithy/signature-v4 or @aws-sdk/rds-signer, which the app signs with, so a bug in one cannot be
// masked by the other.
import { amzDateToMs, safeEqual, sigV4Encode, sigV4Signature, stringToSign } from '../sigv4-primitives'

export { sigV4Encode, sigV4Signature, stringToSign }

/** The signing identity behind an access key (structurally what the simulator's IAM holds). */
export interface RdsPrincipal {
  arn: string
  accessKeyId: string
  secretAccessKey: string
  /** Present for temporary credentials: the token must carry it as X-Amz-Security-Token. */
  sessionToken?: string
}

/** Finds the principal owning an access key id (undefined when the key is unknown). */
export type LookupPrincipal<P extends RdsPrincipal = RdsPrincipal> = (
  accessKeyId: string,
) => P | undefined | Promise<P | undefined>

/** What the token must be bound to, and the clock to judge it by. */
export interface TokenCheck<P extends RdsPrincipal = RdsPrincipal> {
  token: string
  /** The real RDS endpoint name the instance advertises (never the tunnel's 127.0.0.1). */
  rdsHost: string
  rdsPort: number
  region: string
  /** The user from the StartupMessage; DBUser must equal it exactly (case-sensitive). */
  dbUser: string
  lookupPrincipal: LookupPrincipal<P>
  /** Milliseconds since the epoch. */
  now: number
}

/** The verdict; `reason` is for debug logs only (it never contains the token or a secret). */
export type TokenVerdict<P extends RdsPrincipal = RdsPrincipal> =
  | { ok: true; principal: P }
  | { ok: false; reason: string }

/** RDS refuses tokens valid for longer than 15 minutes (docs/rds-iam.md §0.4). */
export const MAX_EXPIRES_SECONDS = 900
/**
 * How far in the future X-Amz-Date may be. Real RDS's allowance is undocumented (docs/rds-iam.md §A.3 step 7);
 * 5 minutes is an assumption, matching the usual SigV4 skew window.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** Parses `k=v&k=v` with percent-decoding; null if malformed or a key repeats. */
export function parseTokenQuery(query: string): Map<string, string> | null {
  const params = new Map<string, string>()
  if (query === '') return params
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    const rawKey = eq < 0 ? pair : pair.slice(0, eq)
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1)
    let key: string
    let value: string
    try {
      key = decodeURIComponent(rawKey)
      value = decodeURIComponent(rawValue)
    } catch {
      return null
    }
    if (params.has(key)) return null
    params.set(key, value)
  }
  return params
}

/** The SigV4 canonical request for a presigned rds-db GET (docs/rds-iam.md §A.3 step 4). */
export function canonicalRequest(hostport: string, params: Map<string, string>): string {
  const query = [...params]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [sigV4Encode(k), sigV4Encode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  return ['GET', '/', query, `host:${hostport}`, '', 'host', EMPTY_SHA256].join('\n')
}

/** Checks an RDS IAM token for one connection attempt. Never throws on bad input. */
export async function validateRdsToken<P extends RdsPrincipal>(
  check: TokenCheck<P>,
): Promise<TokenVerdict<P>> {
  const fail = (reason: string): TokenVerdict<P> => ({ ok: false, reason })
  const split = check.token.indexOf('/?')
  if (split < 0) return fail('token is not a presigned URL (no "/?")')
  const hostport = check.token.slice(0, split)
  const expectedHostport = `${check.rdsHost}:${check.rdsPort}`
  if (hostport !== expectedHostport)
    return fail(`token signed for "${hostport}", expected the endpoint "${expectedHostport}"`)
  const params = parseTokenQuery(check.token.slice(split + 2))
  if (!params) return fail('token query is malformed or repeats a parameter')
  const get = (k: string): string | undefined => params.get(k)

  if (get('Action') !== 'connect') return fail('Action is not "connect"')
  if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return fail('X-Amz-Algorithm is not AWS4-HMAC-SHA256')
  if (get('X-Amz-SignedHeaders') !== 'host') return fail('X-Amz-SignedHeaders is not "host"')
  const scope = (get('X-Amz-Credential') ?? '').split('/')
  if (scope.length !== 5) return fail('X-Amz-Credential is not AKID/date/region/service/aws4_request')
  const [accessKeyId = '', scopeDate, scopeRegion, scopeService, terminator] = scope
  if (scopeService !== 'rds-db') return fail(`credential scope service is "${scopeService}", not rds-db`)
  if (terminator !== 'aws4_request') return fail('credential scope does not end in aws4_request')
  if (scopeRegion !== check.region)
    return fail(`credential scope region is "${scopeRegion}", the instance is in ${check.region}`)
  if (get('DBUser') !== check.dbUser) return fail('DBUser does not match the startup user')

  const amzDate = get('X-Amz-Date') ?? ''
  const signedAt = amzDateToMs(amzDate)
  if (signedAt === null) return fail('X-Amz-Date is malformed')
  if (scopeDate !== amzDate.slice(0, 8)) return fail('credential scope date differs from X-Amz-Date')
  const expiresText = get('X-Amz-Expires') ?? ''
  if (!/^\d{1,9}$/.test(expiresText)) return fail('X-Amz-Expires is missing or not a number')
  const expires = Number(expiresText)
  if (expires < 1 || expires > MAX_EXPIRES_SECONDS) return fail(`X-Amz-Expires ${expires} is above 900`)
  if (check.now > signedAt + expires * 1000) return fail('token expired')
  if (signedAt > check.now + MAX_CLOCK_SKEW_MS) return fail('X-Amz-Date is too far in the future')

  const signature = get('X-Amz-Signature') ?? ''
  if (!/^[0-9a-f]{64}$/.test(signature)) return fail('X-Amz-Signature is not 64 lowercase hex digits')

  const principal = await check.lookupPrincipal(accessKeyId)
  if (!principal) return fail('unknown access key')
  const presentedToken = get('X-Amz-Security-Token')
  if (principal.sessionToken !== undefined) {
    if (presentedToken === undefined) return fail('temporary credentials but no X-Amz-Security-Token')
    if (!safeEqual(presentedToken, principal.sessionToken)) return fail('X-Amz-Security-Token does not match')
  } else if (presentedToken !== undefined) {
    return fail('X-Amz-Security-Token given for long-term credentials')
  }

  const toSign = stringToSign(
    amzDate,
    `${scopeDate}/${scopeRegion}/rds-db/aws4_request`,
    canonicalRequest(hostport, params),
  )
  const expected = sigV4Signature(principal.secretAccessKey, scopeDate, scopeRegion, 'rds-db', toSign)
  if (!safeEqual(expected, signature)) return fail('signature does not match')
  return { ok: true, principal }
}
