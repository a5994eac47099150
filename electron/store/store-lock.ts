// Serialises store writes ACROSS processes (the app, several CLIs): a lock file created with O_EXCL
// next to the store. Each process's read-modify-write runs while it holds the lock, so two writers
// can no longer both read the old list and overwrite each other's addition.
//
// A holder killed with -9 leaves its lock behind. The lock names its pid and host, so a lock whose
// process is gone (same host) is stale at once; a lock older than `staleMs` is stale whatever it
// says (a write takes milliseconds). Breaking a stale lock goes through a second "breaker" lock and
// re-checks the lock under it, so two waiters cannot both break it and then remove a fresh lock.
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'

export interface FileLockOptions {
  /** A lock older than this is stale even if its owner seems alive. Default 30 s. */
  staleMs?: number
  /** Delay before retry `n` while another process holds the lock. Default 2-50 ms with jitter. */
  retryDelayMs?: (attempt: number) => number
  now?: () => number
}

interface LockContent {
  pid: number
  host: string
  nonce: string
}

/** Runs `step` while holding `<lockPath>`; the lock is released when it settles. */
export async function withFileLock<T>(
  lockPath: string,
  step: () => T | Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const release = await acquire(lockPath, options)
  try {
    return await step()
  } finally {
    release()
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<() => void> {
  const staleMs = options.staleMs ?? 30_000
  const now = options.now ?? Date.now
  const delay =
    options.retryDelayMs ?? ((n: number) => Math.min(50, 2 * 2 ** Math.min(n, 5)) * (0.5 + Math.random()))
  const mine: LockContent = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex') }
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(lockPath, mine)) return () => releaseIfMine(lockPath, mine)
    const seen = readLock(lockPath)
    if (seen && isStale(seen, staleMs, now())) {
      breakStale(lockPath, seen.text, staleMs, now())
      continue
    }
    await new Promise((resolve) => setTimeout(resolve, delay(attempt)))
  }
}

/** Creates the lock exclusively; false if another process holds it. */
function tryCreate(lockPath: string, content: LockContent): boolean {
  let fd: number
  try {
    fd = openSync(lockPath, 'wx', 0o600)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'ENOENT') throw err
    mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 }) // first write into a new data dir
    return tryCreate(lockPath, content)
  }
  try {
    writeSync(fd, JSON.stringify(content))
  } finally {
    closeSync(fd)
  }
  return true
}

interface SeenLock {
  text: string
  content: Partial<LockContent> | null
  mtimeMs: number
}

function readLock(lockPath: string): SeenLock | null {
  try {
    const mtimeMs = statSync(lockPath).mtimeMs
    const text = readFileSync(lockPath, 'utf8')
    let content: Partial<LockContent> | null = null
    try {
      content = JSON.parse(text) as Partial<LockContent>
    } catch {
      // Written by a process that died between create and write, or still being written.
    }
    return { text, content, mtimeMs }
  } catch {
    return null // released between our create attempt and this read: just retry
  }
}

function isStale(seen: SeenLock, staleMs: number, now: number): boolean {
  if (now - seen.mtimeMs > staleMs) return true
  const { pid, host } = seen.content ?? {}
  return typeof pid === 'number' && host === hostname() && !processAlive(pid)
}

/** True while `pid` exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function breakStale(lockPath: string, seenText: string, staleMs: number, now: number): void {
  const breaker = `${lockPath}.break`
  let fd: number
  try {
    fd = openSync(breaker, 'wx', 0o600)
  } catch {
    // Another waiter is breaking it. A breaker left by a killed process is removed after a while.
    try {
      if (now - statSync(breaker).mtimeMs > staleMs) unlinkSync(breaker)
    } catch {}
    return
  }
  closeSync(fd)
  try {
    // Only the lock we judged stale: if it changed meanwhile, someone else holds a fresh one.
    if (readLock(lockPath)?.text === seenText) unlinkSync(lockPath)
  } catch {
  } finally {
    try {
      unlinkSync(breaker)
    } catch {}
  }
}

function releaseIfMine(lockPath: string, mine: LockContent): void {
  try {
    const content = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockContent>
    if (content.nonce === mine.nonce) unlinkSync(lockPath)
  } catch {
    // Already gone (broken as stale after a very long step): nothing to release.
  }
}
