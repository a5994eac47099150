// `porthole connect` to "Listening" against `aws ssm start-session` + session-manager-plugin to
// "Waiting for connections", both as a user runs them (fresh processes, built CLI) against the same
// simulator, medians of BENCH_RUNS. Goal (issue 16): porthole ≤ 0.3× the plugin. The plugin side
// runs only when both `aws` and `session-manager-plugin` are on PATH; otherwise it says it skipped.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { findOnPath } from '../electron/tunnel/plugin-backend'
import { startSimulator } from '../sim/index'
import { signalGroup } from '../tests/fixtures/aws-plugin-session'
import { fixed, percentile, report, startEcho } from './bench-lib'

const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const home = mkdtempSync(join(tmpdir(), 'porthole-bench-connect-'))
writeFileSync(join(home, 'aws-config'), '')
const echo = await startEcho()
const sim = await startSimulator({
  extraRoutes: [{ host: 'echo.internal', port: 7, to: { host: '127.0.0.1', port: echo.port } }],
})
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: home,
  PORTHOLE_HOME: home,
  AWS_CONFIG_FILE: join(home, 'aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-config'),
  AWS_ACCESS_KEY_ID: sim.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: sim.credentials.secretAccessKey,
  AWS_DEFAULT_REGION: sim.region,
  DISPLAY: '',
}
const instance = sim.instances[0]!.instanceId

/** Spawns `cmd`, resolves with ms until a stdout/stderr line matches `ready`, then stops it (SIGINT). */
async function timeUntil(cmd: string, args: string[], ready: RegExp): Promise<number> {
  const started = performance.now()
  // Its own process group: stopped like a terminal's Ctrl-C, which reaches aws's plugin too.
  const child: ChildProcess = spawn(cmd, args, { env, detached: true })
  const exited = new Promise((r) => child.once('exit', r))
  const seen: string[] = []
  try {
    return await new Promise<number>((resolve, reject) => {
      const onLine = (line: string) => {
        seen.push(line)
        if (ready.test(line)) resolve(performance.now() - started)
      }
      createInterface({ input: child.stdout! }).on('line', onLine)
      createInterface({ input: child.stderr! }).on('line', onLine)
      child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${seen.join(' | ')}`)))
    })
  } finally {
    signalGroup(child.pid, 'SIGINT')
    await exited
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

const rows: Array<Record<string, string | number>> = []
const notes: string[] = [
  `${RUNS} runs each, medians; fresh processes against one simulator; goal: ratio ≤ 0.30`,
]
try {
  spawnSync(process.execPath, ['electron/cli/cli-build.mjs'], { env, stdio: 'ignore' })
  const add = spawnSync(
    process.execPath,
    [
      ...['electron/cli/porthole.cjs', 'targets', 'add', '--name', 'bench', '--region', sim.region],
      ...['--instance', instance, '--host', 'echo.internal', '--port', '7', '--database', 'x'],
      ...['--user', 'y', '--endpoint-url', sim.endpoint],
    ],
    { env, encoding: 'utf8' },
  )
  if (add.status !== 0) throw new Error(`targets add failed: ${add.stderr}`)
  const aws = findOnPath('aws')
  const plugin = findOnPath('session-manager-plugin')
  const runPlugin = async (awsCli: string) => {
    const params = `host=echo.internal,portNumber=7,localPortNumber=${await freePort()}`
    return timeUntil(
      awsCli,
      [
        ...['ssm', 'start-session', '--target', instance, '--region', sim.region],
        ...['--endpoint-url', sim.endpoint, '--document-name', 'AWS-StartPortForwardingSessionToRemoteHost'],
        ...['--parameters', params],
      ],
      /Waiting for connections/,
    )
  }
  // Interleaved (ours, theirs, ours, …): this machine's speed drifts by a third within minutes, and
  // two back-to-back series would put that drift into the ratio.
  const ours: number[] = []
  const theirs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    ours.push(
      await timeUntil(process.execPath, ['electron/cli/porthole.cjs', 'connect', 'bench'], /^Listening on /),
    )
    if (aws && plugin) theirs.push(await runPlugin(aws))
  }
  const median = percentile(ours, 50)
  rows.push({
    case: 'porthole connect → "Listening"',
    'median ms': fixed(median, 0),
    'min ms': fixed(Math.min(...ours), 0),
    ratio: '',
  })
  if (aws && plugin) {
    const m = percentile(theirs, 50)
    rows.push({
      case: 'aws ssm start-session + session-manager-plugin → "Waiting for connections"',
      'median ms': fixed(m, 0),
      'min ms': fixed(Math.min(...theirs), 0),
      ratio: '1.00',
    })
    rows[0]!.ratio = fixed(median / m, 2)
    console.log(`porthole connect / aws ssm start-session = ${fixed(median / m, 2)} (goal ≤ 0.30)`)
  } else {
    const missing = [aws ? '' : 'aws', plugin ? '' : 'session-manager-plugin'].filter(Boolean).join(' and ')
    notes.push(`aws ssm start-session side skipped: ${missing} not on PATH`)
    console.log(`skipped the plugin side: ${missing} not on PATH`)
  }
} finally {
  await sim.close()
  echo.server.close()
  rmSync(home, { recursive: true, force: true })
}
report('connect-vs-plugin', rows, notes)
