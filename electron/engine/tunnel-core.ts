// The tunnel half of the engine: the event bus and logger, credentials (with their MFA prompts),
// one SSM client per endpoint and credential source, the demo routing and the tunnel manager.
// app-engine.ts adds databases, the local auth proxy and the AWS account on top of it;
// `porthole connect` runs on this half alone, so it never loads, compiles or runs the rest.
import type { Target } from '../../shared/target-schema'
import { createTargetSsmApi } from '../aws/aws-context'
import {
  type CredentialResolver,
  type CredentialSource,
  createCredentialResolver,
  credentialSourceKey,
} from '../aws/credentials'
import { createMfaPrompter, type MfaPrompter } from '../aws/mfa-prompts'
import { EventBus } from '../base/event-bus'
import { createLogger, type Logger, type LogSink } from '../base/logger'
import type { TargetStore } from '../store/target-store'
import type { SsmSessionApi } from '../tunnel/ssm-session-api'
import { TunnelManager } from '../tunnel/tunnel-manager'
import { createEngine, type Engine } from './engine'
import { createPluginContext, type PluginLaunch } from './plugin-context'
import { type StartDemoSimulator, TargetRouting } from './target-routing'

export interface TunnelCoreOptions {
  env?: NodeJS.ProcessEnv
  /** Extra log sink (stderr in the CLI, a file in Electron); the bus always gets every line. */
  logSink?: LogSink
  /** Starts the demo simulator (composition roots pass sim/index.ts startSimulator); absent → no demo. */
  startDemoSimulator?: StartDemoSimulator
  /** How to run session-manager-plugin for `backend: 'plugin'` targets; default: found on PATH. */
  plugin?: PluginLaunch
}

export interface TunnelCore {
  env: NodeJS.ProcessEnv
  bus: EventBus
  logger: Logger
  routing: TargetRouting
  mfa: MfaPrompter
  resolver: CredentialResolver
  /** Where a target's credentials come from (the demo's are the simulator's). */
  sourceFor(target: Target): CredentialSource
  manager: TunnelManager
  /** Destroys the SSM clients and stops the demo simulator (prompts cancelled, tunnels closed first). */
  close(): Promise<void>
}

/**
 * Builds the tunnel half. The caller cancels its prompts (`mfa.cancelAll`) and closes its tunnels
 * (`engine.close`) before `close()`.
 */
export function createTunnelCore(options: TunnelCoreOptions): TunnelCore {
  const env = options.env ?? process.env
  const bus = new EventBus()
  const logger = createLogger('porthole', (line) => {
    bus.emit('onLogLine', line)
    options.logSink?.(line)
  })
  const routing = new TargetRouting(options.startDemoSimulator, logger.child('demo'))
  const mfa = createMfaPrompter({ emit: (prompt) => bus.emit('onMfaPrompt', prompt) })
  const resolver = createCredentialResolver({ mfaCodeProvider: mfa.mfaCodeProvider, logger, env })
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

  return {
    env,
    bus,
    logger,
    routing,
    mfa,
    resolver,
    sourceFor,
    manager,
    async close() {
      for (const api of ssmClients.values()) api.destroy()
      await routing.close()
    },
  }
}

export interface TunnelEngineOptions extends TunnelCoreOptions {
  store: TargetStore
  shell: 'electron' | 'web' | 'cli'
  version: string
}

/**
 * An engine that opens tunnels and nothing else (`porthole connect`): its database, proxy and
 * account methods reject UNAVAILABLE, and it never prewarms a pool (there is none).
 */
export function createTunnelEngine(options: TunnelEngineOptions): Engine {
  const core = createTunnelCore(options)
  const engine = createEngine({
    store: options.store,
    bus: core.bus,
    logger: core.logger,
    shell: options.shell,
    version: options.version,
    tunnels: core.manager,
    route: (target) => core.routing.route(target),
    answerMfaPrompt: core.mfa.answer,
  })
  return {
    ...engine,
    async close() {
      core.mfa.cancelAll() // a tunnel waiting for an MFA code would otherwise hold engine.close()
      await engine.close()
      await core.close()
    },
  }
}
