// `porthole start [--web] [--port N]`: the desktop app when Electron can run here; otherwise (or with
// --web) the same UI served on 127.0.0.1 for a browser through the loopback bridge.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createLogger, stderrSink } from '../../base/logger'
import { startBridge } from '../../bridge/bridge-server'
import { createDispatcher } from '../../ipc/dispatcher'
import { findAppRoot } from '../app-root'
import { type CliIo, openEngine, openStore, untilSignal } from '../cli-context'
import { findElectron, runElectron } from '../electron-launch'

const ROOT = findAppRoot(fileURLToPath(new URL('.', import.meta.url)))

function build(what: 'renderer' | 'app', io: CliIo): void {
  io.err(what === 'renderer' ? 'building the UI (first run)…' : 'building the app (first run)…')
  const args =
    what === 'renderer'
      ? ['vite', 'build', '--config', 'renderer/vite.config.ts']
      : ['electron-vite', 'build']
  const res = spawnSync('npx', ['--no-install', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (res.status !== 0) throw new Error(`the ${what} build failed (npx ${args.join(' ')})`)
}

/** Runs the app; resolves with the exit code once the window closes or Ctrl-C stops the web UI. */
export async function runStartCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { web: { type: 'boolean' }, port: { type: 'string' }, verbose: { type: 'boolean' } },
  })
  if (!values.web) {
    const found = findElectron()
    if ('binary' in found) {
      if (!existsSync(join(ROOT, 'out/main/index.js'))) build('app', io)
      return runElectron(found.binary, ROOT)
    }
    io.err(`Electron cannot start here: ${found.reason}. Serving the same UI for a browser instead.`)
  }
  const staticDir = join(ROOT, 'out/renderer')
  if (!existsSync(join(staticDir, 'index.html'))) build('renderer', io)
  const store = openStore()
  const engine = await openEngine(store, 'web', { verbose: values.verbose })
  const bridge = await startBridge({
    dispatch: createDispatcher(engine.handlers),
    bus: engine.bus,
    staticDir,
    port: values.port ? Number(values.port) : 0,
    logger: createLogger('bridge', stderrSink('warn')),
  })
  const stopped = untilSignal() // before saying Ctrl-C stops it (cli-context.ts)
  io.out(`Porthole is running at ${bridge.url}`)
  io.out('Open that address in a browser on this machine (the #token part is required). Ctrl-C stops it.')
  await stopped
  io.err('stopping: closing tunnels (TerminateSession) and database connections…')
  await bridge.close()
  await engine.close()
  return 0
}
