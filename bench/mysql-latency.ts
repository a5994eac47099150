// MySQL rows next to PostgreSQL's (query-latency.ts, large-results.ts): SELECT 1 round trip through
// the engine and tunnel, a plain mysql2 client through the tunnel, straight to the simulator's MySQL
// gate and straight to MariaDB; and time to the first page (500 rows) of 10^5 and 10^6-row results,
// pulled from a server-side cursor, with the RSS growth after paging 20 pages. Needs MariaDB at
// 127.0.0.1:3306 (prints why and exits otherwise).
import net from 'node:net'
import mysql from 'mysql2/promise'
import { DEMO_MYSQL } from '../shared/demo'
import { startTestEngine } from '../tests/fixtures/test-engine'
import { mysqlSkipReason } from '../tests/integration/mysql-support'
import { fixed, percentile, report } from './bench-lib'

const N = Number(process.env.BENCH_QUERIES ?? 200)
const skip = await mysqlSkipReason()
if (skip) {
  console.log(`mysql-latency: skipped (${skip})`)
  process.exit(0)
}
let qid = 0
const queryId = () => `mbench-${process.pid}-${++qid}`

async function timeRuns(run: () => Promise<unknown>, n = N): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await run()
    out.push(performance.now() - t)
  }
  return out
}

const te = await startTestEngine()
const h = te.engine.handlers
await h.createDemoTarget(undefined)
const target = (await h.listTargets(undefined)).find((t) => t.name === DEMO_MYSQL.targetName)
if (!target) throw new Error('no MySQL demo target')
const status = await h.connectTarget({ targetId: target.id })
const sql = (text: string, pageSize = 100) =>
  h.runQuery({ targetId: target.id, queryId: queryId(), sql: text, pageSize })
await sql('SELECT 1')
const sim = te.sim()
const db = sim?.databases.find((d) => d.engine !== 'postgres')
if (!sim || !db) throw new Error('the simulator has no MySQL database')

const rtt: Array<Record<string, string | number>> = []
const token = (await h.getConnectionStrings({ targetId: target.id, withToken: true })).withToken?.env.match(
  /MYSQL_PWD='([^']+)'/,
)?.[1]
const clientTo = (port: number) =>
  mysql.createConnection({
    host: DEMO_MYSQL.rdsHost,
    user: db.dbUser,
    database: db.database,
    stream: net.connect(port, '127.0.0.1'),
    ssl: { ca: sim.caPem, verifyIdentity: true },
    authPlugins: { mysql_clear_password: () => () => Buffer.from(`${token}\0`) },
  })
const rows: Array<[string, number[]]> = [
  ['engine runQuery through the tunnel', await timeRuns(() => sql('SELECT 1'))],
]
for (const [name, port] of [
  ['mysql2 through the tunnel', status.localPort ?? 0],
  ['mysql2 straight to the MySQL gate', db.gatePort],
] as const) {
  const c = await clientTo(port)
  rows.push([name, await timeRuns(() => c.query('SELECT 1'))])
  await c.end()
}
const direct = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' })
rows.push(['mysql2 straight to MariaDB', await timeRuns(() => direct.query('SELECT 1'))])
await direct.end()
const base = percentile(rows.at(-1)?.[1] ?? [1], 50)
for (const [name, t] of rows)
  rtt.push({
    path: name,
    'median ms': fixed(percentile(t, 50), 3),
    'p99 ms': fixed(percentile(t, 99), 3),
    'vs direct': fixed(percentile(t, 50) / base, 2),
  })

const pages: Array<Record<string, string | number>> = []
for (const n of [100_000, 1_000_000]) {
  global.gc?.()
  const rss0 = process.memoryUsage().rss
  const id = queryId()
  const t0 = performance.now()
  const r = await h.runQuery({
    targetId: target.id,
    queryId: id,
    pageSize: 500,
    sql: `SELECT seq AS i, REPEAT('x', 200) AS pad FROM seq_1_to_${n}`,
  })
  const first = performance.now() - t0
  const t1 = performance.now()
  for (let i = 0; i < 20; i++) await h.fetchRows({ queryId: id, resultIndex: 0, count: 500 })
  const per = (performance.now() - t1) / 20
  pages.push({
    rows: n.toLocaleString('en-US'),
    'first page (500 rows) ms': fixed(first),
    'next page ms (mean of 20)': fixed(per),
    'RSS growth MB': fixed((process.memoryUsage().rss - rss0) / 1e6),
    'rows on first page': r.results[0]?.rows.length ?? 0,
  })
  await h.closeQuery({ queryId: id })
}
await te.close()
report('mysql-roundtrip', rtt, [
  `${N} sequential SELECT 1 each through the MySQL demo target (MariaDB upstream)`,
])
report('mysql-first-page', pages, [
  'the server materialises a cursor result before the first page; pages are then pulled with COM_STMT_FETCH',
])
