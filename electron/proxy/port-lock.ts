// One small lock file per pinned proxy port (<runtime>/locks/port-<n>.json), so that when a port is
// taken Porthole can say whether another Porthole (app or CLI) holds it, and which target. The OS
// bind is what actually guards the port; the file only names the holder.
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensurePrivateDir } from './private-dir'

export interface PortHolder {
  pid: number
  shell: string
  targetName: string
  startedAt: string
  /** What another Porthole (e.g. `porthole url`) needs to print strings for this proxy. */
  targetId?: string
  user?: string
  database?: string
  socketDir?: string | null
  pgpassFile?: string
  engine?: 'postgres' | 'mysql'
  /** MySQL: the target's option file holding the local secret. */
  optionFile?: string
}

const lockPath = (runtimeDir: string, port: number): string => join(runtimeDir, 'locks', `port-${port}.json`)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The live Porthole process named in the port's lock file, if any. */
export async function readPortHolder(runtimeDir: string, port: number): Promise<PortHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(lockPath(runtimeDir, port), 'utf8')) as PortHolder
    if (typeof holder.pid !== 'number' || !alive(holder.pid)) return undefined
    return holder
  } catch {
    return undefined
  }
}

/** Records this process as the holder (call after the bind succeeded). */
export async function writePortLock(runtimeDir: string, port: number, holder: PortHolder): Promise<void> {
  await ensurePrivateDir(join(runtimeDir, 'locks'))
  await writeFile(lockPath(runtimeDir, port), JSON.stringify(holder), { mode: 0o600 })
}

/** Removes the lock if this process holds it. */
export async function releasePortLock(runtimeDir: string, port: number): Promise<void> {
  const path = lockPath(runtimeDir, port)
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as PortHolder
    if (holder.pid === process.pid) await rm(path, { force: true })
  } catch {
    // no lock or unreadable: nothing of ours to remove
  }
}

/** A message naming who holds a taken port and what to do. */
export function portTakenMessage(port: number, holder: PortHolder | undefined, selfName: string): string {
  if (holder && holder.pid === process.pid)
    return `Port ${port} is already used by this Porthole's proxy for "${holder.targetName}". Give "${selfName}" another proxy port.`
  if (holder)
    return `Port ${port} is held by another Porthole (${holder.shell}, pid ${holder.pid}, proxy for "${holder.targetName}"). Stop that proxy or give "${selfName}" another proxy port.`
  return `Port ${port} on 127.0.0.1 is in use by another program. Stop it or give "${selfName}" another proxy port.`
}
