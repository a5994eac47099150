// The whole engine as the app runs it: the tunnel core (tunnel-core.ts) plus databases, the local
// auth proxy and the AWS account, wired once here and used identically by the Electron main, the
// loopback bridge and the CLI. The demo simulator is injected by those composition roots;
// target-routing.ts is the one place that knows about it.
import { join } from 'node:path'
import { createAccountService } from '../aws/account-service'
import { createCallerIdentity } from '../aws/caller-identity'
import { awsConfigured, listProfileNames } from '../aws/profiles'
import { createSignerFactory } from '../aws/signer-factory'
import { createDbService } from '../db/db-service'
import type { ChooseExportPath } from '../db/export-result'
import { openConsoleStores } from '../store/console-stores'
import { addMySqlDemoTarget } from './demo-mysql'
import { createEngine, type Engine } from './engine'
import { createProxyService } from './proxy-wiring'
import { createTunnelCore, type TunnelEngineOptions } from './tunnel-core'

export interface AppEngineOptions extends TunnelEngineOptions {
  /** App data dir: CA bundle for other tools, exports. */
  dataDir: string
  /** The native save dialog (Electron); without it exports go to `<dataDir>/exports`. */
  chooseExportPath?: ChooseExportPath
  /** Opens a sign-in page in the system browser (Electron's shell.openExternal). */
  openExternal?: (url: string) => Promise<void>
  /** See EngineOptions.prewarm. */
  prewarm?: boolean
}

/** Builds the full engine. `close()` ends pools, tunnels and the demo simulator. */
export function createAppEngine(options: AppEngineOptions): Engine {
  const core = createTunnelCore(options)
  const { env, bus, logger, routing, resolver, sourceFor, manager, mfa } = core
  const account = createAccountService({
    resolver,
    logger,
    env,
    emit: (e) => bus.emit('onSsoLogin', e),
    openExternal: options.openExternal,
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
      // Prompts first: a tunnel waiting for an MFA code would otherwise hold engine.close().
      mfa.cancelAll()
      account.close()
      await engine.close()
      await proxies.flush()
      await core.close()
    },
  }
}
