// The engine's composition root: the contract's handler table over a target store, an event bus
// and the optional tunnel and database services. No Electron here: the Electron main, the loopback
// bridge and the CLI all build the same engine. One line per method where possible.
import { DEMO } from '../../shared/demo'
import { PortholeError } from '../../shared/errors'
import type { PortholeHandlers } from '../../shared/ipc/contract'
import type { Target, TargetId } from '../../shared/target-schema'
import type { AccountHandlers } from '../aws/account-service'
import type { EventBus } from '../base/event-bus'
import type { Logger } from '../base/logger'
import type { DbService } from '../db/db-service-port'
import type { ConsoleStores } from '../store/console-stores'
import type { TargetStore } from '../store/target-store'
import type { TunnelService } from '../tunnel/tunnel-service'
import type { ProxyService } from './proxy-wiring'

/** What the engine is built from. Services left out make their methods reject UNAVAILABLE. */
export interface EngineOptions {
  store: TargetStore
  bus: EventBus
  logger: Logger
  shell: 'electron' | 'web' | 'cli'
  version: string
  tunnels?: TunnelService
  db?: DbService
  listProfiles?: () => Promise<string[]>
  awsConfigured?: () => Promise<boolean>
  /** Answers a pending MFA prompt (electron/aws owns prompts); absent → UNAVAILABLE. */
  answerMfaPrompt?: (promptId: string, code: string) => Promise<boolean>
  /** Editor tabs, saved queries, history and UI settings; absent → those methods reject UNAVAILABLE. */
  consoleStores?: ConsoleStores
  /** Profiles, sign-in and discovery (electron/aws/account-service.ts); absent → UNAVAILABLE. */
  account?: AccountHandlers
  /** The local auth proxy (proxy-wiring.ts); absent → its methods reject UNAVAILABLE. */
  proxies?: ProxyService
  /**
   * The effective target the tunnel and database services get (target-routing.ts: the demo becomes
   * the simulator's). Applied here, once per call, so no service below re-resolves it. Default: as saved.
   */
  route?: (target: Target) => Promise<Target>
  /**
   * Open the first pooled database connection while a tunnel comes up (default true). `porthole
   * connect` turns it off: the user's own client connects, never the engine's pool.
   */
  prewarm?: boolean
}

/** A running engine: the handlers every transport dispatches to, the bus, and shutdown. */
export interface Engine {
  handlers: PortholeHandlers
  bus: EventBus
  close(): Promise<void>
}

/** Builds the engine. Store changes become onTargetsChanged; tunnel status becomes onTunnelChanged. */
export function createEngine(options: EngineOptions): Engine {
  const { store, bus, logger, tunnels, db } = options
  const offStore = store.onChange((targets) => bus.emit('onTargetsChanged', targets))
  const offTunnels = tunnels?.onStatus((status) => bus.emit('onTunnelChanged', status))
  const offProxies = options.proxies?.onStatus((status) => bus.emit('onProxyChanged', status))

  const target = async (id: TargetId): Promise<Target> => {
    const found = await store.get(id)
    if (!found) throw PortholeError.of('NOT_FOUND', `No saved target with id ${id}`)
    return found
  }
  const need = <S>(service: S | undefined, what: string): S => {
    if (!service) throw PortholeError.of('UNAVAILABLE', `${what} is not available in this build`)
    return service
  }
  const routed = async (id: TargetId): Promise<Target> => {
    const saved = await target(id)
    return options.route ? options.route(saved) : saved
  }
  const tun = () => need(tunnels, 'Tunnelling')
  const sql = () => need(db, 'Database access')
  const ws = () => need(options.consoleStores, 'The console workspace')
  const record = options.consoleStores?.recordRun ?? ((_id, _sql, run) => run())
  const px = () => need(options.proxies, 'The local auth proxy')

  // Every handler is async, so a missing service rejects (UNAVAILABLE) instead of throwing at the call.
  const handlers: PortholeHandlers = {
    getAppInfo: async () => ({
      version: options.version,
      // The contract knows two UI shells; the CLI serves the same UI as the web shell.
      shell: options.shell === 'electron' ? 'electron' : 'web',
      storePath: store.path,
      storeProblem: store.problem,
      awsConfigured: (await options.awsConfigured?.()) ?? false,
    }),
    listTargets: () => store.list(),
    saveTarget: async (input) => {
      const before = input.id ? await store.get(input.id) : undefined
      const saved = await store.save(input)
      const pool = saved.sessionPool ?? 1
      // A live tunnel follows an edited pool size at once, without dropping a stream.
      if (tunnels && before && (before.sessionPool ?? 1) !== pool)
        await tunnels
          .resize(saved.id, pool)
          .catch((err) =>
            logger.warn(`session pool of ${saved.name} not resized: ${(err as Error).message}`, saved.id),
          )
      return saved
    },
    deleteTarget: async ({ targetId }) => {
      await target(targetId)
      // Close its pools and tunnel first, so a deleted target leaves nothing running.
      await db?.closeTarget(targetId)
      await options.proxies?.stop(targetId)
      if (tunnels?.get(targetId)) await tunnels.disconnect(targetId)
      await store.delete(targetId)
      await options.consoleStores?.workspace.forget(targetId)
      return { deleted: true }
    },
    duplicateTarget: ({ targetId }) => store.duplicate(targetId),
    createDemoTarget: () => createDemoTarget(store),
    importTargets: ({ json }) => store.importJson(json),
    previewImport: ({ json }) => store.previewImport(json),
    exportTargets: async () => ({ json: await store.exportJson() }),
    listProfiles: async () => (await options.listProfiles?.()) ?? [],

    connectTarget: async ({ targetId }) => {
      const target = await routed(targetId)
      const opening = tun().connect(target)
      // Fewer round trips to a first result: credentials and the first pooled connection overlap the tunnel.
      if (target.engine === 'postgres' && options.prewarm !== false) void db?.prewarm?.(target, opening)
      return opening
    },
    disconnectTarget: async ({ targetId }) => tun().disconnect(targetId),
    listTunnels: async () => tunnels?.list() ?? [],

    listSchema: async ({ targetId }) => sql().listSchema(await routed(targetId)),
    describeTable: async (a) => sql().describeTable(await routed(a.targetId), a.schema, a.name),
    previewTable: async (a) =>
      sql().previewTable(await routed(a.targetId), a.schema, a.name, a.offset, a.limit),
    runQuery: async ({ targetId, ...input }) =>
      record(targetId, input.sql, async () => sql().runQuery(await routed(targetId), input)),
    fetchRows: async (a) => sql().fetchRows(a.queryId, a.resultIndex, a.count),
    cancelQuery: async ({ queryId }) => ({ cancelled: await sql().cancelQuery(queryId) }),
    closeQuery: async ({ queryId }) => ({ closed: await sql().closeQuery(queryId) }),
    exportResult: async ({ targetId, ...input }) => sql().exportResult(await routed(targetId), input),
    getTargetActivity: async ({ targetId }) =>
      db?.activity(targetId) ?? { runningQueries: 0, openResults: 0, connections: 0 },
    listHistory: async ({ targetId, search, limit }) => ws().history.list(targetId, { search, limit }),
    clearHistory: async ({ targetId }) =>
      ws()
        .history.clear(targetId)
        .then(() => ({ cleared: true })),
    getWorkspace: async ({ targetId }) => ws().workspace.get(targetId),
    saveEditorTabs: async (a) =>
      ws()
        .workspace.saveTabs(a.targetId, a.tabs, a.activeTabId)
        .then(() => ({ saved: true })),
    saveQuery: async ({ targetId, ...input }) => ws().workspace.saveQuery(targetId, input),
    deleteSavedQuery: async (a) => ({ deleted: await ws().workspace.deleteQuery(a.targetId, a.id) }),
    getUiSettings: async () => ws().settings.get(),
    saveUiSettings: async (settings) => ws().settings.save(settings),
    countRows: async (a) => sql().countRows(await routed(a.targetId), a.schema, a.name),
    getConnectionStrings: async (a) => {
      const strings = await sql().getConnectionStrings(await routed(a.targetId), a.withToken)
      return options.proxies?.withProxyStrings(a.targetId, strings) ?? strings
    },
    answerMfaPrompt: async ({ promptId, code }) => ({
      accepted: await need(options.answerMfaPrompt, 'MFA prompts')(promptId, code),
    }),
    listProfileDetails: async () => need(options.account, 'AWS accounts').listProfileDetails(undefined),
    getCallerIdentity: async (a) => need(options.account, 'AWS accounts').getCallerIdentity(a),
    startSsoLogin: async (a) => need(options.account, 'AWS accounts').startSsoLogin(a),
    cancelSsoLogin: async (a) => need(options.account, 'AWS accounts').cancelSsoLogin(a),
    openSsoVerification: async (a) => need(options.account, 'AWS accounts').openSsoVerification(a),
    discoverResources: async (a) => need(options.account, 'AWS accounts').discoverResources(a),
    startProxy: async ({ targetId, port }) => px().start(await target(targetId), port),
    stopProxy: async ({ targetId }) => px().stop(targetId),
    listProxies: async () => options.proxies?.list() ?? [],
    getProxySecret: async ({ targetId }) => ({ secret: await px().secret((await target(targetId)).id) }),
    listAuditLog: async ({ limit }) => px().audit(limit),
  }

  return {
    handlers,
    bus,
    async close() {
      offStore()
      offTunnels?.()
      offProxies?.()
      // Proxies first: their clients ride on the tunnels closed below.
      await options.proxies?.closeAll().catch((err) => logger.warn(`closing proxies: ${String(err)}`))
      // Pools first, so their connections end cleanly before the tunnels under them close.
      await db?.closeAll().catch((err) => logger.warn(`closing database pools: ${String(err)}`))
      await tunnels?.closeAll().catch((err) => logger.warn(`closing tunnels: ${String(err)}`))
    },
  }
}

/** Adds the demo target once; later calls return the existing one. */
async function createDemoTarget(store: TargetStore): Promise<Target> {
  const existing = (await store.list()).find((t) => t.demo && t.name === DEMO.targetName)
  if (existing) return existing
  return store.save({
    name: DEMO.targetName,
    region: DEMO.region,
    instanceId: DEMO.instanceId,
    rdsHost: DEMO.rdsHost,
    rdsPort: DEMO.rdsPort,
    database: DEMO.database,
    dbUser: DEMO.dbUser,
    demo: true,
    color: 'purple',
    tags: ['demo'],
  })
}
