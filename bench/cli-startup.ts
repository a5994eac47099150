// CLI start-up: wall time and peak RSS of `porthole targets list` (the cheapest command) and
// `porthole --help`, run from the JavaScript build as users run it, against the same commands run
// from source through tsx (what every start cost before the build), and bare `node -e 0` as floor.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixed, percentile, report } from './bench-lib'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const home = mkdtempSync(join(tmpdir(), 'porthole-bench-cli-'))
const env = { ...process.env, PORTHOLE_HOME: home }

/** Median wall ms and median peak RSS (MB, from GNU time) of `node <args>`. */
function measure(args: string[]): { ms: number; rssMb: number } {
  const times: number[] = []
  const rss: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env, encoding: 'utf8' })
    times.push(performance.now() - started)
    const kb = Number(r.stderr.trim().split('\n').pop())
    if (Number.isFinite(kb)) rss.push(kb / 1024)
  }
  return { ms: percentile(times, 50), rssMb: percentile(rss, 50) }
}

// One run first so the build for the current sources exists (users pay this once).
spawnSync(process.execPath, ['electron/cli/cli-build.mjs'], { env, stdio: 'ignore' })
const floor = measure(['-e', '0'])
const rows: Array<Record<string, string | number>> = []
const add = (name: string, m: { ms: number; rssMb: number }) =>
  rows.push({
    case: name,
    'median ms': fixed(m.ms, 0),
    'RSS MB': fixed(m.rssMb, 0),
    'vs node -e 0': fixed(m.ms / floor.ms, 2),
  })
add('node -e 0 (floor)', floor)
add('porthole targets list (build)', measure(['electron/cli/porthole.mjs', 'targets', 'list']))
add('porthole --help (build)', measure(['electron/cli/porthole.mjs', '--help']))
add(
  'targets list from source (tsx)',
  measure([
    '--import',
    'tsx',
    '-e',
    "const { main } = await import('./electron/cli/main.ts'); await main(['targets','list'])",
    '--input-type=module',
  ]),
)
report('cli-startup', rows, [`${RUNS} runs each, medians; goal: targets list ≤ 150 ms and ≤ 60 MB`])
