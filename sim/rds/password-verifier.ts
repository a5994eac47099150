// Checks a cleartext password against a PostgreSQL stored verifier (pg_authid.rolpassword), the way
// the server does for password authentication: SCRAM-SHA-256 (RFC 5802/7677 StoredKey) or md5
// ("md5" + md5(password || user)). Written from those definitions with node:crypto only.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto'
import { safeEqual } from '../sigv4-primitives'

const SCRAM = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/

/** True when `password` matches `verifier`; a null or unknown verifier never matches. */
export function passwordMatches(verifier: string | null, user: string, password: string): boolean {
  if (!verifier) return false
  const scram = SCRAM.exec(verifier)
  if (scram) {
    const iterations = Number(scram[1])
    if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > 1_000_000) return false
    const salted = pbkdf2Sync(
      password.normalize('NFKC'),
      Buffer.from(scram[2]!, 'base64'),
      iterations,
      32,
      'sha256',
    )
    const clientKey = createHmac('sha256', salted).update('Client Key').digest()
    const storedKey = createHash('sha256').update(clientKey).digest('base64')
    return safeEqual(storedKey, scram[3]!)
  }
  if (/^md5[0-9a-f]{32}$/.test(verifier))
    return safeEqual(
      `md5${createHash('md5')
        .update(password + user)
        .digest('hex')}`,
      verifier,
    )
  return false
}
