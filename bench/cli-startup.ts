// CLI start-up: wall time and peak RSS of `porthole targets list` (the cheapest command) and
// `porthole --help`, run from the JavaScript build as users run it, against the same commands run
// from source through tsx (what every start cost before the build), and bare `node -e 0` as floor.
// The cases run in turn, round after round, so a slow spell of the machine hits each alike.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixed, percentile, report } from './bench-lib'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const home = mkdtempSync(join(tmpdir(), 'porthole-bench-cli-'))
// Without NODE_EXTRA_CA_CERTS: Node 20 parses that file and its own ~140 root certificates before
// any script runs (~45 ms on a 2-core CI machine that sets it for every process), a cost of the
// environment that `node -e 0` pays too. When it is set here, it gets rows of its own.
const extraCa = process.env.NODE_EXTRA_CA_CERTS
const env: NodeJS.ProcessEnv = { ...process.env, PORTHOLE_HOME: home }
delete env.NODE_EXTRA_CA_CERTS

interface Case {
  name: string
  args: string[]
  env: NodeJS.ProcessEnv
  times: number[]
  rss: number[]
}

const TARGETS_LIST = ['electron/cli/porthole.cjs', 'targets', 'list']
const cases: Case[] = []
const add = (name: string, args: string[], withEnv = env) =>
  cases.push({ name, args, env: withEnv, times: [], rss: [] })
add('node -e 0 (floor)', ['-e', '0'])
add('porthole targets list (build)', TARGETS_LIST)
add('porthole --help (build)', ['electron/cli/porthole.cjs', '--help'])
add('targets list from source (tsx)', [
  '--import',
  'tsx',
  '-e',
  "const { main } = await import('./electron/cli/main.ts'); await main(['targets','list'])",
  '--input-type=module',
])
const notes = [`${RUNS} rounds of every case in turn (a slow spell hits all alike), medians`]
if (extraCa) {
  const withCa = { ...env, NODE_EXTRA_CA_CERTS: extraCa }
  add('node -e 0, NODE_EXTRA_CA_CERTS as set here', ['-e', '0'], withCa)
  add('targets list, NODE_EXTRA_CA_CERTS as set here', TARGETS_LIST, withCa)
  notes.push(`rows above the last two ran without NODE_EXTRA_CA_CERTS (${extraCa} here)`)
}
notes.push('goal: targets list ≤ 150 ms and ≤ 60 MB')

// One run first so the build for the current sources exists (users pay this once).
spawnSync(process.execPath, ['electron/cli/cli-build.mjs'], { env, stdio: 'ignore' })
for (let i = 0; i < RUNS; i++) {
  for (const c of cases) {
    const started = performance.now()
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...c.args], {
      env: c.env,
      encoding: 'utf8',
    })
    c.times.push(performance.now() - started)
    const kb = Number(r.stderr.trim().split('\n').pop()) // GNU time's peak RSS in KB
    if (Number.isFinite(kb)) c.rss.push(kb / 1024)
  }
}
const floor = percentile(cases[0]!.times, 50)
report(
  'cli-startup',
  cases.map((c) => ({
    case: c.name,
    'median ms': fixed(percentile(c.times, 50), 0),
    'RSS MB': fixed(percentile(c.rss, 50), 0),
    'vs node -e 0': fixed(percentile(c.times, 50) / floor, 2),
  })),
  notes,
)
