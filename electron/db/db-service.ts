// DbService: resolves the tunnel port, picks the engine's driver, writes the CA bundle for tools and
// builds connection strings. Composition only; the work lives in the driver modules.
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
import { buildMySqlConnectionStrings } from './mysql-connection-strings'
import { createMySqlDriver } from './mysql-driver'
import { createPostgresDriver } from './postgres-driver'

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
}

/** Creates the database service the engine plugs into the IPC handlers. */
export function createDbService(options: DbServiceOptions): DbService {
  const postgres = createPostgresDriver(options)
  const exportsDir = options.exportsDir ?? join(options.dataDir, 'exports')
  const mysql = createMySqlDriver(options)
  const drivers: DbDriver[] = [postgres, mysql]
  const driverFor = (target: Target): DbDriver => (target.engine === 'mysql' ? mysql : postgres)
  const holder = (queryId: string): DbDriver => {
    const d = drivers.find((x) => x.hasQuery(queryId))
    if (!d) throw PortholeError.of('NOT_FOUND', `No open query ${queryId}.`)
    return d
  }
  const port = (target: Target) => options.ensureTunnel(target)
  // Queries waiting for their tunnel; true once cancelled meanwhile (opening a tunnel takes seconds).
  const awaitingTunnel = new Map<string, boolean>()

  return {
    listSchema: async (target) => driverFor(target).listSchema(target, await port(target)),
    describeTable: async (target, schema, name) =>
      driverFor(target).describeTable(target, await port(target), schema, name),
    previewTable: async (target, schema, name, offset, limit) =>
      driverFor(target).previewTable(target, await port(target), schema, name, offset, limit),
    async runQuery(target, input) {
      const started = Date.now()
      const driver = driverFor(target)
      if (awaitingTunnel.has(input.queryId) || driver.hasQuery(input.queryId))
        throw PortholeError.of('CONFLICT', `Query ${input.queryId} is already open.`)
      awaitingTunnel.set(input.queryId, false)
      let localPort: number
      let cancelled = false
      try {
        localPort = await port(target)
      } finally {
        cancelled = awaitingTunnel.get(input.queryId) === true
        awaitingTunnel.delete(input.queryId)
      }
      if (cancelled) {
        options.onQueryEvent?.({ queryId: input.queryId, kind: 'cancelled' })
        const error = { code: 'QUERY_CANCELLED' as const, message: 'The query was cancelled.' }
        return { queryId: input.queryId, results: [], notices: [], error, durationMs: Date.now() - started }
      }
      return driver.runQuery(target, localPort, input)
    },
    fetchRows: async (queryId, resultIndex, count) => holder(queryId).fetchRows(queryId, resultIndex, count),
    async cancelQuery(queryId) {
      if (awaitingTunnel.has(queryId)) {
        awaitingTunnel.set(queryId, true)
        return true
      }
      return (await drivers.find((d) => d.hasQuery(queryId))?.cancelQuery(queryId)) ?? false
    },
    closeQuery: async (queryId) => drivers.find((d) => d.hasQuery(queryId))?.closeQuery(queryId) ?? false,
    exportResult: async (target, input) =>
      driverFor(target).exportResult(target, await port(target), input, exportsDir),
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
    async closeTarget(targetId) {
      await Promise.all(drivers.map((d) => d.closeTarget(targetId)))
    },
    async closeAll() {
      await Promise.all(drivers.map((d) => d.closeAll()))
    },
  }
}
