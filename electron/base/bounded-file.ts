// Reads a small file that a user (or an imported file) named, without trusting the path: it must be
// a regular file of bounded size. `/dev/zero` would grow memory without end and a FIFO would block
// a synchronous read forever, so the file is opened non-blocking, checked with fstat on the SAME
// descriptor (no swap between check and read), and read with a hard cap.
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'

/** 1 MiB: a PEM bundle of every public CA is about 200 KB. */
export const MAX_SMALL_FILE_BYTES = 1024 * 1024

/** The file's bytes, or a short reason it was refused (e.g. "is a FIFO, not a regular file"). */
export type BoundedRead = { ok: true; data: Buffer } | { ok: false; reason: string }

/** Reads `path` if it is a regular file of at most `maxBytes`; never blocks on FIFOs or devices. */
export async function readRegularFile(path: string, maxBytes = MAX_SMALL_FILE_BYTES): Promise<BoundedRead> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of hanging.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY)
  } catch (err) {
    return { ok: false, reason: describeOpenError(err) }
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) return { ok: false, reason: `is ${kindOf(stat)}, not a regular file` }
    if (stat.size > maxBytes) return { ok: false, reason: `is ${stat.size} bytes, more than ${maxBytes}` }
    // Read one byte past the cap: a file that grew after fstat is refused, not truncated.
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > maxBytes) return { ok: false, reason: `grew past ${maxBytes} bytes while being read` }
    return { ok: true, data: buffer.subarray(0, length) }
  } finally {
    await handle.close()
  }
}

function kindOf(stat: {
  isDirectory(): boolean
  isFIFO(): boolean
  isCharacterDevice(): boolean
  isBlockDevice(): boolean
  isSocket(): boolean
}): string {
  if (stat.isDirectory()) return 'a directory'
  if (stat.isFIFO()) return 'a FIFO'
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device'
  if (stat.isSocket()) return 'a socket'
  return 'not a file'
}

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'does not exist'
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)'
  if (code === 'EISDIR') return 'is a directory, not a regular file'
  if (code === 'ENXIO') return 'is a socket or device, not a regular file'
  return `cannot be opened (${code ?? String(err)})`
}
