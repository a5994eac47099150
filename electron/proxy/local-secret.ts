// The per-target local secret TCP clients present as their password. It is a loopback-only gate
// (it opens nothing beyond this machine's proxy port and is useless without this user's running
// Porthole), kept 0600 in a 0700 folder like ~/.pgpass, and never in the target store or exports.
// A pgpass file (PostgreSQL) and a per-target option file (MySQL) beside it let the command-line
// clients find it without a password in argv or the environment.
import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensurePrivateDir } from './private-dir'

const SECRET_PATTERN = /^[A-Za-z0-9_-]{32}$/

/** Reads the target's secret, creating it on first use. */
export async function localSecret(secretsDir: string, targetId: string): Promise<string> {
  await ensurePrivateDir(secretsDir)
  const path = join(secretsDir, `${targetId}.secret`)
  try {
    const existing = (await readFile(path, 'utf8')).trim()
    if (SECRET_PATTERN.test(existing)) return existing
  } catch {
    // absent: create below
  }
  const secret = randomBytes(24).toString('base64url')
  await writeFile(path, `${secret}\n`, { mode: 0o600 })
  return secret
}

/** One running proxy as the pgpass file lists it. */
export interface PgpassEntry {
  port: number
  user: string
  secret: string
}

/** Escapes a pgpass field (\ and : are special). */
const field = (s: string): string => s.replaceAll('\\', '\\\\').replaceAll(':', '\\:')

/** Rewrites the pgpass file (0600, atomically) for the running proxies; returns its path. */
export async function writePgpass(secretsDir: string, entries: PgpassEntry[]): Promise<string> {
  await ensurePrivateDir(secretsDir)
  const path = join(secretsDir, 'pgpass')
  const lines = entries.flatMap((e) =>
    ['127.0.0.1', 'localhost'].map((host) => `${host}:${e.port}:*:${field(e.user)}:${field(e.secret)}`),
  )
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 })
  await rename(tmp, path)
  return path
}

/** The MySQL option file of a target: `mysql --defaults-extra-file=<it>` reads the secret from it. */
export const mySqlOptionFilePath = (secretsDir: string, targetId: string): string =>
  join(secretsDir, `${targetId}.my.cnf`)

/**
 * Writes the target's MySQL option file (0600, atomically): `[client]` password = the secret, so
 * the mysql client sends it without a password in argv or the environment.
 */
export async function writeMySqlOptionFile(
  secretsDir: string,
  targetId: string,
  secret: string,
): Promise<string> {
  await ensurePrivateDir(secretsDir)
  const path = mySqlOptionFilePath(secretsDir, targetId)
  // The secret is base64url: nothing in it needs quoting in an option file.
  if (!SECRET_PATTERN.test(secret)) throw new Error('the local secret is not in the expected form')
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(
    tmp,
    `# Porthole local auth proxy: the local secret for 127.0.0.1 (not an AWS or database password)\n[client]\npassword=${secret}\n`,
    { mode: 0o600 },
  )
  await rename(tmp, path)
  return path
}
