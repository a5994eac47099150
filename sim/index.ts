// startSimulator(): the whole simulated AWS on loopback, shared by tests, benchmarks and the demo.
// One API endpoint (SSM + STS + RDS, SigV4-verified), the Session Manager stream service + agent,
// and an RDS IAM gate per database in front of real PostgreSQL or embedded PGlite.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO, DEMO_MYSQL } from '../shared/demo'
import { type AgentFaults, type StreamService, startStreamService } from './agent'
import { startApiServer } from './api/api-server'
import { defaultInventory, type SimInventory } from './api/inventory'
import type { SimDatabase } from './api/query-operations'
import type { SimInstance } from './api/ssm-operations'
import { type SsoServer, startSsoServer } from './api/sso-server'
import { SimIam } from './iam'
import { type NetworkAddress, SimNetwork } from './network'
import { startMySqlGate } from './rds/mysql-gate'
import { type MySqlUpstream, startMySqlUpstream } from './rds/mysql-upstream'
import { startRdsGate } from './rds/rds-gate'
import { upstreamRoleDirectory } from './rds/role-directory'
import { createTestCa } from './rds/test-ca'
import { startUpstream, type Upstream } from './rds/upstream'
import { type Logger, silentLogger } from './sim-logger'
import { defaultSsoAccounts, SIM_SSO_START_URL, type SimSso, type SimSsoOptions, simSso } from './sso-world'

export interface SimulatorOptions {
  region?: string
  accountId?: string
  instances?: SimInstance[]
  /** Where the database lives: real PostgreSQL at 127.0.0.1:5432 when reachable ('auto'), or PGlite. */
  upstream?: 'auto' | 'postgres' | 'pglite' | Upstream
  /** Agent/service fault defaults (rate cap, payload cap, latency, idle timeout, ...). */
  agent?: Partial<AgentFaults>
  /** Extra routes inside the simulated VPC, e.g. an echo server for tunnel tests. */
  extraRoutes?: Array<{ host: string; port: number; to: NetworkAddress }>
  /** API calls per second per principal before ThrottlingException (default unlimited). */
  apiRate?: number | null
  /** The MySQL twin: 'auto' adds it when MariaDB/MySQL answers (PORTHOLE_MYSQL_URL or 127.0.0.1:3306). */
  mysql?: 'auto' | 'off'
  logger?: Logger
  /** What discovery lists (EC2, RDS instances and clusters); defaults to several VPCs around the demo. */
  inventory?: SimInventory
  /** IAM Identity Center (OIDC + portal) knobs: polling interval, code lifetime, accounts and roles. */
  sso?: SimSsoOptions
}

export interface SimulatedDatabase extends SimDatabase {
  dbUser: string
  gatePort: number
  upstreamKind: 'postgres' | 'pglite' | 'mysql'
}

export interface Simulator {
  /** Use as AWS_ENDPOINT_URL (or a target's endpoint override) for SSM, STS and RDS. */
  endpoint: string
  region: string
  accountId: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  iam: SimIam
  network: SimNetwork
  instances: SimInstance[]
  databases: SimulatedDatabase[]
  caPem: string
  caFile: string
  agent: StreamService
  /** The MySQL upstream behind the MySQL gate, when one was found (else the demo is PostgreSQL only). */
  mysql: MySqlUpstream | null
  faults: {
    setOnline(instanceId: string, online: boolean): void
    setAgentVersion(instanceId: string, version: string): void
    setApiRate(perSecond: number | null): void
    /** Moves the RDS gate's clock (e.g. +16 min makes a fresh token expired). */
    setGateClockOffset(ms: number): void
    agent: AgentFaults
  }
  /** IAM Identity Center: endpoint for AWS_ENDPOINT_URL_SSO and _SSO_OIDC, start URL, the browser step. */
  sso: SimSso
  close(): Promise<void>
}

/** Starts the simulator on ephemeral loopback ports; close() frees everything it started. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const log = options.logger ?? silentLogger
  const region = options.region ?? DEMO.region
  const accountId = options.accountId ?? DEMO.accountId
  const iam = new SimIam()
  const network = new SimNetwork()
  for (const r of options.extraRoutes ?? []) network.register(r.host, r.port, r.to)
  const inventory = options.inventory ?? defaultInventory()
  const managed = inventory.ec2
    .filter((i) => i.managed)
    .map((i) => ({
      instanceId: i.instanceId,
      agentVersion: i.agentVersion ?? '3.3.987.0',
      online: i.online ?? true,
    }))
  const instances = new Map((options.instances ?? managed).map((i) => [i.instanceId, { ...i }]))
  const cleanups: Array<() => Promise<unknown>> = []
  const close = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {})
  }
  try {
    const upstream =
      typeof options.upstream === 'object'
        ? options.upstream
        : await startUpstream({
            prefer: options.upstream ?? 'auto',
            database: DEMO.database,
            dbUser: DEMO.dbUser,
            seed: 'demo',
            logger: log.child('upstream'),
          })
    if (typeof options.upstream !== 'object') cleanups.push(() => upstream.close())

    const ca = await createTestCa({ commonName: 'Porthole Simulator RDS CA' })
    const dir = await mkdtemp(join(tmpdir(), 'porthole-sim-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const caFile = join(dir, 'sim-rds-ca.pem')
    await writeFile(caFile, ca.caPem, { mode: 0o644 })

    const gateClock = { offsetMs: 0 }
    const cert = await ca.issueServerCert([DEMO.rdsHost])
    const gate = await startRdsGate({
      rdsHost: DEMO.rdsHost,
      rdsPort: DEMO.rdsPort,
      region,
      accountId,
      dbiResourceId: DEMO.dbiResourceId,
      tls: cert,
      upstream: { host: upstream.host, port: upstream.port },
      roles: upstreamRoleDirectory(
        upstream.adminUrl ?? `postgres://postgres@${upstream.host}:${upstream.port}/postgres`,
      ),
      lookupPrincipal: iam.lookup,
      isAllowed: iam.isAllowed,
      now: () => Date.now() + gateClock.offsetMs,
      logger: log.child('gate'),
    })
    cleanups.push(() => gate.close())
    network.register(DEMO.rdsHost, DEMO.rdsPort, { host: '127.0.0.1', port: gate.port })

    const agent = await startStreamService({
      resolver: network,
      logger: log.child('agent'),
      defaults: options.agent,
    })
    cleanups.push(() => agent.close())

    const databases: SimulatedDatabase[] = [
      {
        dbInstanceIdentifier: DEMO.dbInstanceIdentifier,
        rdsHost: DEMO.rdsHost,
        rdsPort: DEMO.rdsPort,
        dbiResourceId: DEMO.dbiResourceId,
        database: upstream.database,
        engine: 'postgres',
        dbUser: DEMO.dbUser,
        gatePort: gate.port,
        upstreamKind: upstream.kind,
      },
    ]
    const mysqlUpstream =
      options.mysql === 'off'
        ? null
        : await startMySqlUpstream({
            database: DEMO_MYSQL.database,
            dbUser: DEMO_MYSQL.dbUser,
            logger: log.child('mysql-upstream'),
          })
    if (mysqlUpstream) {
      cleanups.push(() => mysqlUpstream.close())
      const mysqlCert = await ca.issueServerCert([DEMO_MYSQL.rdsHost])
      const mysqlGate = await startMySqlGate({
        rdsHost: DEMO_MYSQL.rdsHost,
        rdsPort: DEMO_MYSQL.rdsPort,
        region,
        accountId,
        dbiResourceId: DEMO_MYSQL.dbiResourceId,
        tls: mysqlCert,
        upstream: { host: mysqlUpstream.host, port: mysqlUpstream.port },
        isIamUser: (user) => mysqlUpstream.iamUsers.has(user),
        upstreamPassword: mysqlUpstream.passwordFor,
        lookupPrincipal: iam.lookup,
        isAllowed: iam.isAllowed,
        logger: log.child('mysql-gate'),
      })
      cleanups.push(() => mysqlGate.close())
      network.register(DEMO_MYSQL.rdsHost, DEMO_MYSQL.rdsPort, { host: '127.0.0.1', port: mysqlGate.port })
      databases.push({
        dbInstanceIdentifier: DEMO_MYSQL.dbInstanceIdentifier,
        rdsHost: DEMO_MYSQL.rdsHost,
        rdsPort: DEMO_MYSQL.rdsPort,
        dbiResourceId: DEMO_MYSQL.dbiResourceId,
        database: mysqlUpstream.database,
        engine: /mariadb/i.test(mysqlUpstream.version) ? 'mariadb' : 'mysql',
        dbUser: DEMO_MYSQL.dbUser,
        gatePort: mysqlGate.port,
        upstreamKind: 'mysql',
      })
    }
    const rate = { perSecond: options.apiRate ?? null }
    const api = await startApiServer({
      region,
      accountId,
      iam,
      agent,
      instances,
      streamUrls: new Map(),
      databases: () => databases,
      inventory,
      rate,
      logger: log.child('api'),
    })
    cleanups.push(() => api.close())
    const ssoAccounts = options.sso?.accounts ?? defaultSsoAccounts(accountId)
    const ssoServer: SsoServer = await startSsoServer({
      ...options.sso,
      iam,
      region,
      startUrl: SIM_SSO_START_URL,
      accounts: ssoAccounts,
      logger: log.child('sso'),
    })
    cleanups.push(() => ssoServer.close())

    const principal = iam.principals()[0]!
    log.info(`simulator up: api ${api.endpoint}, ${upstream.kind} upstream`)
    return {
      endpoint: api.endpoint,
      region,
      accountId,
      credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey },
      iam,
      network,
      get instances() {
        return [...instances.values()].map((i) => ({ ...i }))
      },
      databases,
      caPem: ca.caPem,
      caFile,
      agent,
      mysql: mysqlUpstream,
      faults: {
        setOnline: (id, online) => {
          const i = instances.get(id)
          if (i) i.online = online
        },
        setAgentVersion: (id, version) => {
          const i = instances.get(id)
          if (i) i.agentVersion = version
        },
        setApiRate: (perSecond) => {
          rate.perSecond = perSecond
        },
        setGateClockOffset: (ms) => {
          gateClock.offsetMs = ms
        },
        agent: agent.faults,
      },
      sso: simSso(ssoServer, region, ssoAccounts),
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}

export type { AgentFaults } from './agent'
