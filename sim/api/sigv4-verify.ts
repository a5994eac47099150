// SigV4 verification of incoming API requests, as SigV4 defines it: rebuild the canonical request
// from exactly the headers the client lists in SignedHeaders (botocore and aws-sdk-go sign only
// host;x-amz-date;x-amz-target, the JS SDK also x-amz-content-sha256 and more), hash the body for
// the payload line, and compare signatures. Errors carry the codes and wording AWS uses, so every
// client raises the right names. Sources: docs/simulator.md, "Request signing".
import type { SimPrincipal } from '../iam'
import {
  amzDateToMs,
  msToAmzDate,
  safeEqual,
  sha256Hex,
  sigV4Encode,
  sigV4Signature,
  stringToSign,
} from '../sigv4-primitives'

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

export interface RawRequest {
  method: string
  /** The path as sent (still percent-encoded), without the query. */
  path: string
  /** The query string as sent, without '?'. */
  rawQuery: string
  /** Lower-case header names; repeated headers joined with ', ' (Node's IncomingMessage does this). */
  headers: Record<string, string>
  body: string
}

export interface VerifiedRequest {
  principal: SimPrincipal
  service: string
  region: string
}

const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
export const MAX_SKEW_MS = 5 * 60_000

const signatureMismatch = () =>
  new ApiError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  )
const invalidToken = () =>
  new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.')

/** Canonical URI: each segment of the (already encoded) path encoded once more, as non-S3 services do. */
export function canonicalUri(path: string): string {
  if (path === '' || path === '/') return '/'
  return path
    .split('/')
    .map((segment) => sigV4Encode(segment))
    .join('/')
}

/** Canonical query: pairs decoded, re-encoded RFC 3986 style, sorted by key then value. */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return ''
  const pairs: Array<[string, string]> = []
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '))
      } catch {
        return s
      }
    }
    const key = decode(eq < 0 ? pair : pair.slice(0, eq))
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1))
    pairs.push([sigV4Encode(key), sigV4Encode(value)])
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

/** The canonical request over exactly `signedHeaders`, with the payload hashed from the body. */
export function canonicalApiRequest(req: RawRequest, signedHeaders: string[]): string {
  const headerLines = signedHeaders.map((h) => `${h}:${(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`)
  return [
    req.method.toUpperCase(),
    canonicalUri(req.path),
    canonicalQuery(req.rawQuery),
    headerLines.join(''),
    signedHeaders.join(';'),
    sha256Hex(req.body),
  ].join('\n')
}

/** The clock check: AWS allows 5 minutes either way and words each side differently. */
function checkClock(amzDate: string, signedAt: number, now: number): void {
  if (signedAt < now - MAX_SKEW_MS)
    throw new ApiError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${msToAmzDate(now - MAX_SKEW_MS)} (${msToAmzDate(now)} - 5 min.)`,
    )
  if (signedAt > now + MAX_SKEW_MS)
    throw new ApiError(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${msToAmzDate(now + MAX_SKEW_MS)} (${msToAmzDate(now)} + 5 min.)`,
    )
}

/** Verifies the request's signature; throws ApiError with the service's own error code. */
export async function verifySigV4(
  req: RawRequest,
  options: { region: string; lookup(accessKeyId: string): SimPrincipal | undefined; now?: () => number },
): Promise<VerifiedRequest> {
  const auth = req.headers.authorization
  if (!auth) throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400)
  const m = AUTH_RE.exec(auth)
  if (!m)
    throw new ApiError(
      'IncompleteSignatureException',
      'Authorization header requires Credential, SignedHeaders and Signature.',
    )
  const [accessKeyId, date, region, service, terminator, ...extra] = m[1]!.split('/')
  const signedHeaders = m[2]!.split(';')
  if (!signedHeaders.includes('host'))
    throw new ApiError(
      'IncompleteSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    )
  const amzDate = req.headers['x-amz-date']
  if (amzDate === undefined)
    throw new ApiError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    )
  const signedAt = amzDateToMs(amzDate)
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request' || extra.length)
    throw new ApiError(
      'IncompleteSignatureException',
      'Credential should be scoped to a valid region, service and date.',
    )
  if (signedAt === null)
    throw new ApiError(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`,
    )
  const principal = options.lookup(accessKeyId)
  if (!principal) throw invalidToken()
  if (!safeEqual(principal.sessionToken ?? '', req.headers['x-amz-security-token'] ?? ''))
    throw invalidToken()
  if (region !== options.region)
    throw new ApiError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region. Credential scope ${date}/${region}/${service}/aws4_request does not match the endpoint's region '${options.region}'.`,
    )
  if (date !== amzDate.slice(0, 8))
    throw new ApiError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    )
  checkClock(amzDate, signedAt, options.now?.() ?? Date.now())
  const canonical = canonicalApiRequest(req, signedHeaders)
  const toSign = stringToSign(amzDate, `${date}/${region}/${service}/aws4_request`, canonical)
  const expected = sigV4Signature(principal.secretAccessKey, date, region, service, toSign)
  if (!safeEqual(expected, m[3]!)) throw signatureMismatch()
  return { principal, service, region }
}
