// Folders only this user may enter: the Unix sockets and port locks live in one (so other local
// users cannot connect to the socket or fake a lock), local secrets in another.
import { chmod, lstat, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Where sockets and port locks live, shared by every Porthole process of this user (app and CLI
 * must see each other's locks): $PORTHOLE_RUNTIME_DIR, else $XDG_RUNTIME_DIR/porthole, else
 * <tmp>/porthole-<uid>. Short, because a socket path must fit in about 100 bytes.
 */
export function proxyRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PORTHOLE_RUNTIME_DIR) return env.PORTHOLE_RUNTIME_DIR
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'porthole')
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user'
  return join(tmpdir(), `porthole-${uid}`)
}

/** Creates `dir` (0700) or checks an existing one is a real folder of ours, then forces 0700. */
export async function ensurePrivateDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const st = await lstat(dir)
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`)
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    throw new Error(`${dir} belongs to another user (uid ${st.uid}); refusing to put sockets or locks there`)
  if (process.platform !== 'win32') await chmod(dir, 0o700)
  return dir
}
