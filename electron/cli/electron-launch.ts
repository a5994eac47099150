// Can a real Electron window start here? It needs the Electron binary (fetched from outside the npm
// registry, so it may be missing) and, on Linux, a display. Each reason is said in plain words.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/**
 * The Electron binary path, or undefined when the package has no binary. Read from the package's
 * path.txt (what its index.js does) rather than importing `electron` into plain Node.
 */
function electronBinary(): string | undefined {
  try {
    const dir = dirname(require.resolve('electron/package.json'))
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim()
    const path = join(dir, 'dist', rel)
    return existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

/** Finds Electron, trying its installer once (it downloads the binary where the network allows). */
export function findElectron(env: NodeJS.ProcessEnv = process.env): { binary: string } | { reason: string } {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset)' }
  let binary = electronBinary()
  if (!binary) {
    let installer: string
    try {
      installer = join(require.resolve('electron/package.json'), '..', 'install.js')
    } catch {
      return { reason: 'the electron package is not installed' }
    }
    const res = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 120_000 })
    binary = res.status === 0 ? electronBinary() : undefined
    if (!binary)
      return {
        reason:
          'the Electron binary could not be downloaded (its install fetches from outside the npm registry)',
      }
  }
  return { binary }
}

/** Starts Electron on the built app (package.json main = out/main/index.js); resolves with its exit code. */
export function runElectron(binary: string, appDir: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(binary, [appDir], { stdio: 'inherit' })
    child.on('exit', (code) => resolve(code ?? 0))
  })
}
