// Save- and import-time check of a target's CA file (issue 11 item 2): the path must name a regular
// file of at most 1 MB that holds a PEM certificate. A hostile import could otherwise point it at
// /dev/zero or a FIFO, and the first connection would exhaust or block the main process.
import { isAbsolute } from 'node:path'
import type { FieldIssue } from '../../shared/target-schema'
import { MAX_SMALL_FILE_BYTES, readRegularFile } from '../base/bounded-file'

/** Issues (`<prefix>caFile ...`) for every item whose caFile is unusable; [] when all are fine. */
export async function caFileIssues(
  items: Array<{ caFile?: string | undefined }>,
  prefix: (index: number) => string,
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = []
  for (const [i, item] of items.entries()) {
    const path = item.caFile?.trim()
    if (!path) continue
    const problem = await caFileProblem(path)
    if (problem) issues.push({ path: `${prefix(i)}caFile`, message: problem })
  }
  return issues
}

/** Why `path` cannot be a CA file, or null. */
export async function caFileProblem(path: string): Promise<string | null> {
  if (!isAbsolute(path)) return 'must be an absolute path to a PEM file'
  const read = await readRegularFile(path, MAX_SMALL_FILE_BYTES)
  if (!read.ok) return `${path} ${read.reason} (a CA file must be a regular file of at most 1 MB)`
  if (!read.data.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    return `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`
  }
  return null
}
