// Verifies a MySQL client's answer to the proxy's scramble against the per-target local secret. The
// proxy offers mysql_native_password; a client configured for caching_sha2_password answers with
// that plugin's fast-auth scramble, which is checked too. Both are challenge-response: the secret
// itself never crosses the socket. Compares are constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const NATIVE_PASSWORD = 'mysql_native_password'
export const CACHING_SHA2 = 'caching_sha2_password'

const hash = (algorithm: 'sha1' | 'sha256', ...parts: Buffer[]): Buffer => {
  const h = createHash(algorithm)
  for (const p of parts) h.update(p)
  return h.digest()
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length)
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0)
  return out
}

/** 20 bytes in 1…127, as MySQL makes them (no NUL: clients read the scramble as a C string). */
export function newScramble(): Buffer {
  return Buffer.from(randomBytes(20).map((b) => 1 + (b % 127)))
}

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). */
export function nativeScramble(password: string, scramble: Buffer): Buffer {
  const stage1 = hash('sha1', Buffer.from(password, 'utf8'))
  return xor(stage1, hash('sha1', scramble, hash('sha1', stage1)))
}

/** caching_sha2_password fast auth: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble). */
export function cachingSha2Scramble(password: string, scramble: Buffer): Buffer {
  const stage1 = hash('sha256', Buffer.from(password, 'utf8'))
  return xor(stage1, hash('sha256', hash('sha256', stage1), scramble))
}

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b)

/**
 * Whether `response` (sent with `plugin`) proves knowledge of `secret` for this `scramble`.
 * 'switch' means the plugin is one the proxy cannot check: ask for mysql_native_password instead.
 */
export function verifyScramble(
  plugin: string,
  response: Buffer,
  secret: string,
  scramble: Buffer,
): boolean | 'switch' {
  if (plugin === NATIVE_PASSWORD) return same(response, nativeScramble(secret, scramble))
  if (plugin === CACHING_SHA2) return same(response, cachingSha2Scramble(secret, scramble))
  return 'switch'
}
