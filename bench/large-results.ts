// Large results: a 1M-row query through the tunnel, paged the way the console pages it. Reports the
// time to the first page, total streaming time and the engine's peak RSS growth (the engine must
// never hold a whole result: one page per open cursor).
import { startTestEngine } from '../tests/fixtures/test-engine'
import { fixed, report } from './bench-lib'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const PAGE = 5000
const te = await startTestEngine()
const engine = te.engine
const h = engine.handlers
const demo = await h.createDemoTarget(undefined)
await h.connectTarget({ targetId: demo.id })
await h.runQuery({ targetId: demo.id, queryId: 'warmup-0001', sql: 'select 1', pageSize: 1 })

let peak = process.memoryUsage().rss
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 20)
const rssBefore = process.memoryUsage().rss
const t0 = performance.now()
const first = await h.runQuery({
  targetId: demo.id,
  queryId: 'large-00001',
  sql: `select n, md5(n::text) as hash, now() as at, n % 7 = 0 as flag from generate_series(1, ${ROWS}) n`,
  pageSize: PAGE,
})
const tFirst = performance.now() - t0
let rows = first.results[0]?.rows.length ?? 0
let more = first.results[0]?.hasMore ?? false
while (more) {
  const page = await h.fetchRows({ queryId: 'large-00001', resultIndex: 0, count: PAGE })
  rows += page.rows.length
  more = page.hasMore
}
const total = performance.now() - t0
clearInterval(sampler)
await h.closeQuery({ queryId: 'large-00001' })
await te.close()
report('large-results', [
  {
    rows,
    'page size': PAGE,
    'first page ms': fixed(tFirst),
    'total s': fixed(total / 1000, 2),
    'rows/s': Math.round(rows / (total / 1000)),
    'peak RSS growth MB': fixed((peak - rssBefore) / 1e6),
  },
])
