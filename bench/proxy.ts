// The local auth proxy against the tunnel it rides on (issue 17):
// - SELECT 1 round trip: pg client through the proxy vs the same client straight through the tunnel
//   (TLS + IAM token itself); goal: median delta ≤ +0.2 ms on loopback;
// - bulk: \copy of BENCH_PROXY_MB (default 50) MB out of the database through the proxy vs straight
//   through the tunnel, byte counts checked;
// - load: pgbench 20 clients for BENCH_PGBENCH_S (default 30) s and BENCH_CLIENTS (default 200)
//   concurrent clients × 50 queries through the proxy, with failures counted (needs max_connections).
import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { startProxyFixture } from '../tests/fixtures/proxy-fixture'
import { fixed, mbps, percentile, report } from './bench-lib'

const run = promisify(execFile)
const N = Number(process.env.BENCH_QUERIES ?? 500)
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

const viaProxy = new pg.Client(fx.pgConfig())
const viaTunnel = new pg.Client({
  host: '127.0.0.1',
  port: tunnel.localPort,
  user: db.dbUser,
  database: db.database,
  ssl: { ca: sim.caPem, servername: db.rdsHost },
  password: token,
})
await Promise.all([viaProxy.connect(), viaTunnel.connect()])
const times = async (c: pg.Client): Promise<number[]> => {
  for (let i = 0; i < 50; i++) await c.query('select 1') // warm-up
  const out: number[] = []
  for (let i = 0; i < N; i++) {
    const t = performance.now()
    await c.query('select 1')
    out.push(performance.now() - t)
  }
  return out
}
// Interleave the two so machine noise hits both alike.
const proxyT: number[] = []
const tunnelT: number[] = []
for (let round = 0; round < 4; round++) {
  tunnelT.push(...(await times(viaTunnel)))
  proxyT.push(...(await times(viaProxy)))
}
await Promise.all([viaProxy.end(), viaTunnel.end()])
const rtt = [
  ['pg client straight through the tunnel (TLS)', tunnelT],
  ['pg client through the proxy (plain to proxy, TLS upstream)', proxyT],
] as Array<[string, number[]]>
const base = percentile(tunnelT, 50)
report(
  'proxy-select1',
  rtt.map(([path, t]) => ({
    path,
    'median ms': fixed(percentile(t, 50), 3),
    'p99 ms': fixed(percentile(t, 99), 3),
    'median delta ms': fixed(percentile(t, 50) - base, 3),
  })),
  [`${N * 4} sequential SELECT 1 per path, interleaved in 4 rounds; goal: delta ≤ +0.2 ms`],
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
if (fx.realPostgres()) {
  const conn = ['-h', '127.0.0.1', '-p', String(fx.status.port), '-U', fx.target.dbUser, fx.target.database]
  const pgb = await run(
    '/usr/bin/pgbench',
    ['-n', '-S', '-c', '20', '-j', '2', '-T', String(PGBENCH_S), ...conn],
    {
      env: fx.psqlEnv,
    },
  ).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: `${err.stdout}\n${err.stderr}` }))
  load.push({
    case: `pgbench -S 20 clients ${PGBENCH_S} s (needs pgbench tables, see tests/integration/proxy-load.test.ts)`,
    result:
      (/tps = [\d.]+/.exec(pgb.stdout)?.[0] ?? 'no tps') +
      ` · ${/number of failed transactions: \d+/.exec(pgb.stdout)?.[0] ?? pgb.stdout.slice(0, 120)}`,
  })
  let errors = 0
  const t = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const c = new pg.Client(fx.pgConfig())
      c.on('error', () => {})
      try {
        await c.connect()
        for (let q = 0; q < 50; q++) await c.query('select $1::int', [q])
      } catch {
        errors++
      } finally {
        await c.end().catch(() => {})
      }
    }),
  )
  load.push({
    case: `${CLIENTS} concurrent clients × 50 queries`,
    result: `${errors} errors in ${fixed((performance.now() - t) / 1000, 1)} s`,
  })
}
report('proxy-load', load, [
  'errors above 0 with 200 clients usually mean the server ran out of max_connections',
])
await fx.close()
