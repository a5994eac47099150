// The whole engine as the app runs it: store + credentials + tunnels + database, wired once here
// and used identically by the Electron main, the loopback bridge and the CLI. The demo simulator
// is injected by those composition roots; target-routing.ts is the one place that knows about it.
import { join } from 'node:path'
import type { Target } from '../../shared/target-schema'
import { createAccountService } from '../aws/account-service'
import { createTargetSsmApi } from '../aws/aws-context'
import { createCallerIdentity } from '../aws/caller-identity'
import { createCredentialResolver } from '../aws/credentials'
import { createMfaPrompter } from '../aws/mfa-prompts'
import { awsConfigured, listProfileNames } from '../aws/profiles'
import { createSignerFactory, credentialSourceKey } from '../aws/signer-factory'
import { EventBus } from '../base/event-bus'
import { createLogger, type LogSink } from '../base/logger'
import { createDbService } from '../db/db-service'
import type { ChooseExportPath } from '../db/export-result'
import { openConsoleStores } from '../store/console-stores'
import type { TargetStore } from '../store/target-store'
import type { SsmSessionApi } from '../tunnel/ssm-session-api'
import { TunnelManager } from '../tunnel/tunnel-manager'
import { addMySqlDemoTarget } from './demo-mysql'
import { createEngine, type Engine } from './engine'
import { createPluginContext, type PluginLaunch } from './plugin-context'
import { createProxyService } from './proxy-wiring'
import { type StartDemoSimulator, TargetRouting } from './target-routing'

export interface AppEngineOptions {
  store: TargetStore
  shell: 'electron' | 'web' | 'cli'
  version: string
  /** App data dir: CA bundle for other tools, exports. */
  dataDir: string
  env?: NodeJS.ProcessEnv
  /** Extra log sink (stderr in the CLI, a file in Electron); the bus always gets every line. */
  logSink?: LogSink
  /** The native save dialog (Electron); without it exports go to `<dataDir>/exports`. */
  chooseExportPath?: ChooseExportPath
  /** Starts the demo simulator (composition roots pass sim/index.ts startSimulator); absent → no demo. */
  startDemoSimulator?: StartDemoSimulator
  /** How to run session-manager-plugin for `backend: 'plugin'` targets; default: found on PATH. */
  plugin?: PluginLaunch
  /** Opens a sign-in page in the system browser (Electron's shell.openExternal). */
  openExternal?: (url: string) => Promise<void>
  /** See EngineOptions.prewarm. */
  prewarm?: boolean
}

/** Builds the full engine. `close()` ends pools, tunnels and the demo simulator. */
export function createAppEngine(options: AppEngineOptions): Engine {
  const env = options.env ?? process.env
  const bus = new EventBus()
  const logger = createLogger('porthole', (line) => {
    bus.emit('onLogLine', line)
    options.logSink?.(line)
  })
  const routing = new TargetRouting(options.startDemoSimulator, logger.child('demo'))
  const mfa = createMfaPrompter({ emit: (prompt) => bus.emit('onMfaPrompt', prompt) })
  const resolver = createCredentialResolver({ mfaCodeProvider: mfa.mfaCodeProvider, logger, env })
  const account = createAccountService({
    resolver,
    logger,
    env,
    emit: (e) => bus.emit('onSsoLogin', e),
    openExternal: options.openExternal,
  })
  const sourceFor = (target: Target) => routing.credentialSource(target)

  // One SSM client per (endpoint, region, credential source): clients hold sockets and caches.
  const ssmClients = new Map<string, SsmSessionApi & { destroy(): void }>()
  const apiFor = (target: Target): SsmSessionApi => {
    const source = sourceFor(target)
    const key = `${target.endpointUrl ?? ''}|${target.region}|${credentialSourceKey(source)}`
    let api = ssmClients.get(key)
    if (!api) {
      api = createTargetSsmApi(target, { resolver, source, env })
      ssmClients.set(key, api)
    }
    return api
  }
  const manager = new TunnelManager({
    apiFor,
    logger,
    pluginContext: (target) =>
      createPluginContext(target, { source: sourceFor(target), resolver, env, launch: options.plugin }),
  })

  const signerFor = createSignerFactory({ resolver, sourceFor })
  const db = createDbService({
    dataDir: options.dataDir,
    exportsDir: join(options.dataDir, 'exports'),
    chooseExportPath: options.chooseExportPath,
    signerFor,
    ensureTunnel: async (target) => {
      const status = await manager.connect(target)
      if (status.localPort === null) throw new Error('The tunnel opened without a local port')
      return status.localPort
    },
    logger,
    onQueryEvent: (event) => bus.emit('onQueryEvent', event),
    // Token age is a database fact shown on the tunnel status.
    onTokenIssued: (targetId, at) => manager.noteTokenIssued(targetId, at),
  })

  // Pools ride on the tunnel: when it ends, their connections are dead, so drop them now.
  manager.onStatus((status) => {
    if (status.state === 'closed' || status.state === 'failed') void db.closeTarget(status.targetId)
  })

  const proxies = createProxyService({
    dataDir: options.dataDir,
    env,
    shell: options.shell,
    logger,
    store: options.store,
    effective: (t) => routing.route(t),
    connect: (t) => manager.connect(t),
    disconnect: (id) => manager.disconnect(id),
    signerFor,
    principalFor: createCallerIdentity({ resolver, env, sourceFor }),
    onTunnelStatus: (l) => manager.onStatus(l),
  })

  const engine = createEngine({
    proxies,
    store: options.store,
    bus,
    logger,
    shell: options.shell,
    version: options.version,
    prewarm: options.prewarm,
    tunnels: manager,
    db,
    route: (target) => routing.route(target),
    listProfiles: () => listProfileNames(env),
    awsConfigured: () => awsConfigured(env),
    answerMfaPrompt: mfa.answer,
    consoleStores: openConsoleStores({ dir: options.dataDir, logger }),
    account,
  })

  // The MySQL demo twin is offered only when the simulator found MariaDB/MySQL (demo-mysql.ts).
  const handlers = {
    ...engine.handlers,
    createDemoTarget: async (arg: undefined) => {
      const pg = await engine.handlers.createDemoTarget(arg)
      if (options.startDemoSimulator) await addMySqlDemoTarget(options.store, routing, logger.child('demo'))
      return pg
    },
  }

  return {
    ...engine,
    handlers,
    async close() {
      mfa.cancelAll()
      account.close()
      await engine.close()
      await proxies.flush()
      for (const api of ssmClients.values()) api.destroy()
      await routing.close()
    },
  }
}
