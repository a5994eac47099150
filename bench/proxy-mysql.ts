// The MySQL local auth proxy against the tunnel it rides on: SELECT 1 round trip and connect (new
// connection + SELECT 1, a fresh IAM token each) with mysql2 through the proxy vs mysql2 straight
// through the tunnel (TLS + token itself), and a BENCH_MYSQL_ROWS-row (~650 bytes each) result
// through each path with its bytes checked. Needs MariaDB at 127.0.0.1:3306 (says why otherwise).
import net from 'node:net'
import mysql from 'mysql2/promise'
import { DEMO_MYSQL } from '../shared/demo'
import { startMySqlProxyFixture } from '../tests/fixtures/mysql-proxy-fixture'
import { mysqlSkipReason } from '../tests/integration/mysql-support'
import { fixed, mbps, percentile, report } from './bench-lib'

const N = Number(process.env.BENCH_QUERIES ?? 400)
const CONNECTS = Number(process.env.BENCH_CONNECTS ?? 30)
const ROWS = Number(process.env.BENCH_MYSQL_ROWS ?? 20_000)
const skip = await mysqlSkipReason()
if (skip) {
  console.log(`proxy-mysql: skipped (${skip})`)
  process.exit(0)
}

const fx = await startMySqlProxyFixture()
const h = fx.te.engine.handlers
const sim = fx.te.sim()
const tunnel = (await h.listTunnels(undefined)).find((t) => t.targetId === fx.target.id)
if (!sim || !tunnel?.localPort) throw new Error('tunnel not open')
const tunnelPort = tunnel.localPort
const freshToken = async () =>
  (await h.getConnectionStrings({ targetId: fx.target.id, withToken: true })).withToken?.env.match(
    /MYSQL_PWD='?([^'\n]+)'?/,
  )?.[1] ?? ''
const viaTunnel = async () => {
  const token = await freshToken()
  return mysql.createConnection({
    host: DEMO_MYSQL.rdsHost,
    user: fx.target.dbUser,
    database: fx.target.database,
    stream: net.connect(tunnelPort, '127.0.0.1'),
    ssl: { ca: sim.caPem, verifyIdentity: true },
    authPlugins: { mysql_clear_password: () => () => Buffer.from(`${token}\0`) },
  })
}
const viaProxy = () => mysql.createConnection(fx.config())

async function times(run: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await run()
    out.push(performance.now() - t)
  }
  return out
}

const paths = [
  ['mysql2 straight through the tunnel (TLS, token)', viaTunnel],
  ['mysql2 through the proxy (plain to proxy, TLS upstream)', viaProxy],
] as const
const rtt: Record<string, number[]> = Object.fromEntries(paths.map(([name]) => [name, []]))
const connect: Record<string, number[]> = Object.fromEntries(paths.map(([name]) => [name, []]))
for (const [, open] of paths) {
  const c = await open()
  await times(() => c.query('SELECT 1'), 50) // warm-up
  await c.end()
}
// Interleave the paths in rounds so machine noise hits both alike.
for (let round = 0; round < 4; round++)
  for (const [name, open] of paths) {
    const c = await open()
    rtt[name]?.push(...(await times(() => c.query('SELECT 1'), N / 4)))
    await c.end()
    connect[name]?.push(
      ...(await times(async () => {
        const k = await open()
        await k.query('SELECT 1')
        await k.end()
      }, CONNECTS / 4)),
    )
  }
const base = percentile(rtt[paths[0][0]] ?? [], 50)
report(
  'proxy-mysql-select1',
  paths.map(([name]) => ({
    path: name,
    'median ms': fixed(percentile(rtt[name] ?? [], 50), 3),
    'p99 ms': fixed(percentile(rtt[name] ?? [], 99), 3),
    'median delta ms': fixed(percentile(rtt[name] ?? [], 50) - base, 3),
    'connect+SELECT 1 median ms': fixed(percentile(connect[name] ?? [], 50), 1),
  })),
  [
    `${N} sequential SELECT 1 and ${CONNECTS} connects per path, interleaved in 4 rounds`,
    'through the tunnel the token is fetched before timing starts; the proxy signs its own inside the connect',
  ],
)

const bulkSql = `with d as (select 0 as v union all select 1 union all select 2 union all select 3 union all
  select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9),
  s as (select 1 + a.v + 10 * b.v + 100 * c.v + 1000 * e.v + 10000 * f.v + 100000 * g.v as n
    from d a, d b, d c, d e, d f, d g)
  select n, repeat(sha2(n, 256), 10) as pad from s where n <= ${ROWS}`
const bulk: Array<Record<string, string>> = []
for (const [name, open] of paths) {
  const c = await open()
  const t = performance.now()
  const [rows] = await c.query<mysql.RowDataPacket[]>(bulkSql)
  const ms = performance.now() - t
  const bytes = rows.reduce((n, r) => n + String(r.pad).length, 0)
  if (rows.length !== ROWS) throw new Error(`${name}: ${rows.length} rows, not ${ROWS}`)
  bulk.push({
    path: name,
    rows: String(rows.length),
    MB: fixed(bytes / 1e6),
    s: fixed(ms / 1000, 2),
    'MB/s': mbps(bytes, ms),
  })
  await c.end()
}
report('proxy-mysql-bulk', bulk, ['the tunnel cap (~1 MB/s per session in the simulator) dominates both'])
await fx.close()
