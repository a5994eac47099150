// DbService: resolves the tunnel port, picks the engine's driver, writes the CA bundle for tools and
// builds connection strings. Composition only; the work lives in the driver modules.
import { randomBytes } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { PortholeError } from '../../shared/errors'
import type { QueryEvent } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import { writeCaBundle } from './ca-bundle'
import { buildConnectionStrings } from './connection-strings'
import type { DbService } from './db-service-port'
import type { DbDriver } from './driver'
import { type ChooseExportPath, exportDestination } from './export-result'
import { buildMySqlConnectionStrings } from './mysql-connection-strings'
import { createPendingStarts } from './pending-starts'

export interface DbServiceOptions {
  /** App data dir: the CA bundle (certs/) and default exports (exports/) go here. */
  dataDir: string
  exportsDir?: string
  signerFor(target: Target): TokenSigner
  /** Opens (or finds) the target's tunnel and resolves with its loopback port. */
  ensureTunnel(target: Target): Promise<number>
  logger: Logger
  onQueryEvent?: (event: QueryEvent) => void
  onTokenIssued?: (targetId: TargetId, issuedAt: number) => void
  statementTimeoutMs?: number
  /** Rows an earlier statement of a script is read to before it is cut (default 100,000). */
  materialiseCap?: number
  /** Electron's save dialog; without it exports go to the private exports folder. */
  chooseExportPath?: ChooseExportPath
}

/** Creates the database service the engine plugs into the IPC handlers. */
export function createDbService(options: DbServiceOptions): DbService {
  // Spill files of held results: one folder per process; earlier processes' leftovers are swept.
  const spillRoot = join(options.dataDir, 'results-spill')
  const spillDir = join(spillRoot, `${process.pid}-${randomBytes(4).toString('hex')}`)
  void sweepSpill(spillRoot)
  const exportsDir = options.exportsDir ?? join(options.dataDir, 'exports')
  // Drivers load on first use: pg and mysql2 cost ~0.15 s at every start, and `porthole connect`
  // (tunnel only) needs neither. A driver not loaded yet holds no query, pool or history.
  const drivers: DbDriver[] = []
  const loading = new Map<'postgres' | 'mysql', Promise<DbDriver>>()
  const driverFor = (target: Target): Promise<DbDriver> => {
    const kind = target.engine === 'mysql' ? 'mysql' : 'postgres'
    let driver = loading.get(kind)
    if (!driver) {
      driver = (
        kind === 'mysql'
          ? import('./mysql-driver').then((m) => m.createMySqlDriver({ ...options, spillDir }))
          : import('./postgres-driver').then((m) => m.createPostgresDriver({ ...options, spillDir }))
      ).then((d) => {
        drivers.push(d)
        return d
      })
      loading.set(kind, driver)
    }
    return driver
  }
  const holder = (queryId: string): DbDriver => {
    const d = drivers.find((x) => x.hasQuery(queryId))
    if (!d) throw PortholeError.of('NOT_FOUND', `No open query ${queryId}.`)
    return d
  }
  const port = (target: Target) => options.ensureTunnel(target)
  // Queries waiting for their tunnel; a cancel meanwhile is honoured once it opens.
  const awaitingTunnel = createPendingStarts()

  return {
    listSchema: async (target) => (await driverFor(target)).listSchema(target, await port(target)),
    describeTable: async (target, schema, name) =>
      (await driverFor(target)).describeTable(target, await port(target), schema, name),
    previewTable: async (target, schema, name, offset, limit) =>
      (await driverFor(target)).previewTable(target, await port(target), schema, name, offset, limit),
    async runQuery(target, input) {
      const started = Date.now()
      if (awaitingTunnel.has(input.queryId) || drivers.some((d) => d.hasQuery(input.queryId)))
        throw PortholeError.of('CONFLICT', `Query ${input.queryId} is already open.`)
      const { value, cancelled } = await awaitingTunnel.wait(input.queryId, async () => {
        const driver = driverFor(target)
        driver.catch(() => undefined) // awaited below; a failing tunnel must not leave it unhandled
        return { localPort: await port(target), driver: await driver }
      })
      if (cancelled) {
        options.onQueryEvent?.({ queryId: input.queryId, kind: 'cancelled' })
        const error = { code: 'QUERY_CANCELLED' as const, message: 'The query was cancelled.' }
        return { queryId: input.queryId, results: [], notices: [], error, durationMs: Date.now() - started }
      }
      return value.driver.runQuery(target, value.localPort, input)
    },
    fetchRows: async (queryId, resultIndex, count) => holder(queryId).fetchRows(queryId, resultIndex, count),
    async cancelQuery(queryId) {
      if (awaitingTunnel.cancel(queryId)) return true
      return (await drivers.find((d) => d.hasQuery(queryId))?.cancelQuery(queryId)) ?? false
    },
    closeQuery: async (queryId) => drivers.find((d) => d.hasQuery(queryId))?.closeQuery(queryId) ?? false,
    async exportResult(target, input) {
      const driver = holder(input.queryId)
      if (driver.heldTarget(input.queryId, input.resultIndex) !== target.id)
        throw PortholeError.of(
          'NOT_FOUND',
          `Result ${input.resultIndex} of query ${input.queryId} is not held for this target.`,
        )
      return driver.exportResult(input, (statement) =>
        exportDestination(exportsDir, statement, input.format, options.chooseExportPath),
      )
    },
    activity: (targetId) => {
      const all = drivers.map((d) => d.activity(targetId))
      return {
        runningQueries: all.reduce((n, a) => n + a.runningQueries, 0) + awaitingTunnel.size,
        openResults: all.reduce((n, a) => n + a.openResults, 0),
        connections: all.reduce((n, a) => n + a.connections, 0),
      }
    },
    async countRows(target, schema, name) {
      const driver = await driverFor(target)
      if (!driver.countRows)
        throw PortholeError.of('UNAVAILABLE', `Counting rows is not available for ${target.engine}.`)
      return driver.countRows(target, await port(target), schema, name)
    },
    listHistory: (targetId) => drivers.flatMap((d) => d.listHistory(targetId)).sort((a, b) => b.at - a.at),
    async getConnectionStrings(target, withToken) {
      const localPort = await port(target)
      const caFile = await writeCaBundle(options.dataDir, target)
      const token = withToken ? await options.signerFor(target).signToken(target) : undefined
      if (token)
        options.logger
          .child('db')
          .info('a token was copied into connection strings at user request', target.id)
      const build = target.engine === 'mysql' ? buildMySqlConnectionStrings : buildConnectionStrings
      return build({ target, localPort, caFile, token })
    },
    async prewarm(target, tunnel) {
      const log = options.logger.child('db.prewarm')
      try {
        const driver = driverFor(target)
        driver.catch(() => undefined)
        // Credentials resolve (SSO/STS round trips) while StartSession and the WebSocket are in
        // flight; the resolver caches them, so the first connection's token signs locally.
        const signed = options.signerFor(target).signToken(target)
        signed.catch(() => undefined)
        await tunnel
        await signed
        await (await driver).prewarm?.(target, await port(target))
      } catch (err) {
        log.debug(`prewarm skipped: ${err instanceof Error ? err.message : String(err)}`, target.id)
      }
    },
    async closeTarget(targetId) {
      await Promise.all(drivers.map((d) => d.closeTarget(targetId)))
    },
    async closeAll() {
      await Promise.all(drivers.map((d) => d.closeAll()))
    },
  }
}

/** Removes spill folders of processes that are gone (a crash leaves them behind). */
async function sweepSpill(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[])
  for (const name of names) {
    const pid = Number(name.split('-')[0])
    let alive = true
    try {
      process.kill(pid, 0)
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM'
    }
    if (!alive || !Number.isInteger(pid))
      await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined)
  }
}
