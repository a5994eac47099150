// The whole engine as the app runs it: store + credentials + tunnels + database + demo simulator,
// wired once here and used identically by the Electron main, the loopback bridge and the CLI.
import { join } from 'node:path'
import type { Unsubscribe } from '../../shared/ipc/contract'
import type { TunnelStatus } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import { createAwsContext } from '../aws/aws-context'
import { createCredentialResolver } from '../aws/credentials'
import { createMfaPrompter } from '../aws/mfa-prompts'
import { awsConfigured, listProfileNames } from '../aws/profiles'
import { createSignerFactory } from '../aws/signer-factory'
import { EventBus } from '../base/event-bus'
import { createLogger, type LogSink } from '../base/logger'
import { createDbService } from '../db/db-service'
import type { DbService } from '../db/db-service-port'
import type { TargetStore } from '../store/target-store'
import type { SsmSessionApi } from '../tunnel/ssm-session-api'
import { TunnelManager } from '../tunnel/tunnel-manager'
import type { TunnelService } from '../tunnel/tunnel-service'
import { addMySqlDemoTarget } from './demo-mysql'
import { DemoRouting, type StartDemoSimulator } from './demo-routing'
import { createEngine, type Engine } from './engine'

export interface AppEngineOptions {
  store: TargetStore
  shell: 'electron' | 'web' | 'cli'
  version: string
  /** App data dir: CA bundle for other tools, exports. */
  dataDir: string
  env?: NodeJS.ProcessEnv
  /** Extra log sink (stderr in the CLI, a file in Electron); the bus always gets every line. */
  logSink?: LogSink
  /** How the demo simulator starts; defaults to sim/index.ts startSimulator(). */
  startDemoSimulator?: StartDemoSimulator
}

const defaultDemoSimulator: StartDemoSimulator = async () => {
  // Loaded on demand: an app that never opens the demo never loads the simulator.
  const { startSimulator } = await import('../../sim/index')
  return startSimulator()
}

/** Builds the full engine. `close()` ends pools, tunnels and the demo simulator. */
export function createAppEngine(options: AppEngineOptions): Engine {
  const env = options.env ?? process.env
  const bus = new EventBus()
  const logger = createLogger('porthole', (line) => {
    bus.emit('onLogLine', line)
    options.logSink?.(line)
  })
  const demo = new DemoRouting(options.startDemoSimulator ?? defaultDemoSimulator, logger.child('demo'))
  const mfa = createMfaPrompter({ emit: (prompt) => bus.emit('onMfaPrompt', prompt) })
  const resolver = createCredentialResolver({ mfaCodeProvider: mfa.mfaCodeProvider, logger, env })

  // One SSM client per (target, endpoint): clients hold sockets and credential caches.
  const ssmClients = new Map<string, SsmSessionApi & { destroy(): void }>()
  const apiFor = (target: Target): SsmSessionApi => {
    const key = `${target.id}|${target.endpointUrl ?? ''}|${target.region}|${target.awsProfile ?? ''}`
    let api = ssmClients.get(key)
    if (!api) {
      const ctx = createAwsContext(target, { resolver, env, staticCredentials: demo.credentialsFor(target) })
      api = ctx.ssm as SsmSessionApi & { destroy(): void }
      ssmClients.set(key, api)
    }
    return api
  }
  const manager = new TunnelManager({ apiFor, logger })

  // Token age is a database fact shown on the tunnel status: merge it in on the way out.
  const tokenIssuedAt = new Map<TargetId, number>()
  const withToken = (s: TunnelStatus): TunnelStatus => ({
    ...s,
    tokenIssuedAt: tokenIssuedAt.get(s.targetId) ?? s.tokenIssuedAt,
  })
  const statusListeners = new Set<(s: TunnelStatus) => void>()
  const publish = (s: TunnelStatus) => {
    for (const l of statusListeners) l(withToken(s))
  }

  const db: DbService = createDbService({
    dataDir: options.dataDir,
    exportsDir: join(options.dataDir, 'exports'),
    signerFor: createSignerFactory({ resolver, staticCredentials: (t) => demo.credentialsFor(t) }),
    ensureTunnel: async (target) => {
      const status = await manager.connect(target)
      if (status.localPort === null) throw new Error('The tunnel opened without a local port')
      return status.localPort
    },
    logger,
    onQueryEvent: (event) => bus.emit('onQueryEvent', event),
    onTokenIssued: (targetId, at) => {
      tokenIssuedAt.set(targetId, at)
      const status = manager.get(targetId)
      if (status) publish(status)
    },
  })

  manager.onStatus((status) => {
    // Pools ride on the tunnel: when it ends, their connections are dead, so drop them now.
    if (status.state === 'closed' || status.state === 'failed') void db.closeTarget(status.targetId)
    publish(status)
  })

  const tunnels: TunnelService = {
    connect: async (t) => withToken(await manager.connect(await demo.effective(t))),
    disconnect: async (id) => withToken(await manager.disconnect(id)),
    list: () => manager.list().map(withToken),
    get: (id) => {
      const s = manager.get(id)
      return s && withToken(s)
    },
    onStatus: (listener): Unsubscribe => {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    closeAll: () => manager.closeAll(),
  }

  const eff = demo.effective.bind(demo)
  const routedDb: DbService = {
    ...db,
    listSchema: async (t) => db.listSchema(await eff(t)),
    describeTable: async (t, s, n) => db.describeTable(await eff(t), s, n),
    previewTable: async (t, s, n, o, l) => db.previewTable(await eff(t), s, n, o, l),
    runQuery: async (t, input) => db.runQuery(await eff(t), input),
    exportResult: async (t, input) => db.exportResult(await eff(t), input),
    getConnectionStrings: async (t, withTok) => db.getConnectionStrings(await eff(t), withTok),
  }

  const engine = createEngine({
    store: options.store,
    bus,
    logger,
    shell: options.shell,
    version: options.version,
    tunnels,
    db: routedDb,
    listProfiles: () => listProfileNames(env),
    awsConfigured: () => awsConfigured(env),
    answerMfaPrompt: mfa.answer,
  })

  // The MySQL demo twin is offered only when the simulator found MariaDB/MySQL (demo-mysql.ts).
  const handlers = {
    ...engine.handlers,
    createDemoTarget: async (arg: undefined) => {
      const pg = await engine.handlers.createDemoTarget(arg)
      await addMySqlDemoTarget(options.store, demo, logger.child('demo'))
      return pg
    },
  }

  return {
    ...engine,
    handlers,
    async close() {
      mfa.cancelAll()
      await engine.close()
      for (const api of ssmClients.values()) api.destroy()
      await demo.close()
    },
  }
}
