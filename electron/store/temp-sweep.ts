// Removes temporary files a killed writer left next to the store. The store is written atomically
// (a temp file, then rename), and `kill -9` between the two leaves `<file>.tmp-<digits><hex>` behind
// forever. Only names of exactly that shape beside OUR store file, owned by this user and older than
// a minute (no live write takes that long) are removed; anything else in the folder is left alone.
import { readdirSync, statSync, unlinkSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** Default age after which a temp file is certainly not a write in progress. */
export const STALE_TEMP_MS = 60_000

/** Deletes stale temp files of `storePath`; returns the names removed. Never throws. */
export function sweepStaleTempFiles(
  storePath: string,
  olderThanMs = STALE_TEMP_MS,
  now = Date.now(),
): string[] {
  const dir = dirname(storePath)
  // The temp-name shape of the `atomically` writer that conf and electron-store use.
  const pattern = new RegExp(`^${escapeRegExp(basename(storePath))}\\.tmp-\\d{10}[0-9a-f]{6}$`)
  const uid = process.getuid?.()
  const removed: string[] = []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return removed // no data dir yet
  }
  for (const name of names) {
    if (!pattern.test(name)) continue
    const path = join(dir, name)
    try {
      const stat = statSync(path)
      if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) continue
      if (now - stat.mtimeMs < olderThanMs) continue
      unlinkSync(path)
      removed.push(name)
    } catch {
      // Renamed or removed meanwhile: not ours to worry about.
    }
  }
  return removed
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
