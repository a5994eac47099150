// SigV4 verification of incoming API requests: parse the Authorization header, look up the
// secret, re-sign the same request with @smithy/signature-v4 at the same X-Amz-Date, and compare.
// Errors carry the codes and wording the real services use, so SDK clients raise the right names.
import { timingSafeEqual } from 'node:crypto'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import type { SimPrincipal } from '../iam'

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
  path: string
  query: Record<string, string>
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

/** Parses YYYYMMDDTHHMMSSZ. */
export function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)
  if (!m) return undefined
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
}

const toAmzDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

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
  const [accessKeyId, date, region, service, terminator] = m[1]!.split('/')
  const signedHeaders = m[2]!.split(';')
  const amzDate = req.headers['x-amz-date'] ?? ''
  const when = parseAmzDate(amzDate)
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request' || !when)
    throw new ApiError(
      'IncompleteSignatureException',
      'Credential should be scoped to a valid region, service and date.',
    )
  const principal = options.lookup(accessKeyId)
  if (!principal)
    throw new ApiError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    )
  if ((principal.sessionToken ?? '') !== (req.headers['x-amz-security-token'] ?? ''))
    throw new ApiError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    )
  if (region !== options.region)
    throw new ApiError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region. Credential scope ${date}/${region}/${service}/aws4_request does not match the endpoint's region '${options.region}'.`,
    )
  const now = options.now?.() ?? Date.now()
  if (Math.abs(now - when.getTime()) > MAX_SKEW_MS) {
    const limit = toAmzDate(new Date(now - MAX_SKEW_MS))
    throw new ApiError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${limit} (${toAmzDate(new Date(now))} - 5 min.)`,
    )
  }
  // Only the headers the client signed take part; the signer would add nothing else.
  const headers: Record<string, string> = {}
  for (const h of signedHeaders) if (req.headers[h] !== undefined) headers[h] = req.headers[h]!
  const signer = new SignatureV4({
    service,
    region,
    credentials: {
      accessKeyId,
      secretAccessKey: principal.secretAccessKey,
      sessionToken: principal.sessionToken,
    },
    sha256: Hash.bind(null, 'sha256'),
    // Sign exactly the headers the client signed: botocore signs no x-amz-content-sha256 outside S3.
    applyChecksum: false,
  })
  const [hostname = '', port] = (req.headers.host ?? '').split(':')
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname,
      port: port ? Number(port) : undefined,
      path: req.path,
      query: req.query,
      headers,
      body: req.body,
    },
    { signingDate: when },
  )
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? ''
  const ok = expected.length === 64 && timingSafeEqual(Buffer.from(expected), Buffer.from(m[3]!))
  if (!ok)
    throw new ApiError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    )
  return { principal, service, region }
}
