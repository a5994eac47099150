// `npm run bench`: every benchmark, one process each (so one's memory cannot skew another's).
import { spawnSync } from 'node:child_process'

const scripts = [
  'tunnel-throughput',
  'query-latency',
  'connect-latency',
  'large-results',
  'mysql-latency',
  'renderer',
  'cli-startup',
  'connect-vs-plugin',
  'proxy',
  'proxy-mysql',
]
let failed = 0
for (const name of scripts) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' })
  if (r.status !== 0) {
    failed++
    console.error(`bench ${name} failed (exit ${r.status})`)
  }
}
console.log(`\nresults written to bench/results/*.json${failed ? `; ${failed} failed` : ''}`)
process.exit(failed ? 1 : 0)
