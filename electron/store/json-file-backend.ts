// The store file under plain Node (CLI, loopback bridge, tests): one JSON document, read fresh on
// every access (another process may have written it) and replaced atomically on write (a temp file,
// fsync, rename), owner-only. This replaces `conf` here, whose load cost every CLI start paid; the
// file format is the same as electron-store's, so the app and the CLI share one file. Temp files are
// named like those of `atomically` (electron-store's writer) so one sweep covers both (temp-sweep.ts).
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'
import type { ConfLikeBackend } from './target-store'

/** A backend over the JSON file at `path` (missing file = empty document). */
export function jsonFileBackend(path: string): ConfLikeBackend {
  return {
    path,
    get store(): unknown {
      try {
        return JSON.parse(readFileSync(path, 'utf8'))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
        throw err
      }
    },
    set store(value: unknown) {
      writeAtomically(path, `${JSON.stringify(value, null, '\t')}\n`)
    },
  }
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.tmp-${String(Date.now()).slice(-10).padStart(10, '0')}${randomBytes(3).toString('hex')}`
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } catch (err) {
    closeSync(fd)
    unlinkSync(tmp)
    throw err
  }
  closeSync(fd)
  try {
    renameSync(tmp, path)
  } catch (err) {
    unlinkSync(tmp)
    throw err
  }
}
