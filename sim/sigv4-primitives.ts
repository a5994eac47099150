// SigV4 building blocks shared by the API verifier and the RDS token validator, written from the
// SigV4 definition with node:crypto only (never @smithy/signature-v4, which the app signs with, so
// a bug in one cannot be masked by the other). See docs/simulator.md, "Request signing".
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent plus !'()* escaped. */
export function sigV4Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The SigV4 string to sign for a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n')
}

/** Hex HMAC-SHA256 signature with the derived key chain AWS4+secret → date → region → service → aws4_request. */
export function sigV4Signature(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
  toSign: string,
): string {
  let key = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest()
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest()
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex')
}

/** Milliseconds since the epoch for YYYYMMDDTHHMMSSZ, or null when malformed. */
export function amzDateToMs(value: string): number | null {
  const m = AMZ_DATE.exec(value)
  if (!m) return null
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
  return Number.isNaN(ms) ? null : ms
}

/** YYYYMMDDTHHMMSSZ for a time in milliseconds. */
export function msToAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** Constant-time string comparison (equal lengths are compared without short-circuit). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}
