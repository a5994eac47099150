// Issue 12: `porthole sim` for scripts, spawned as a user runs it: --json prints one line with every
// endpoint, credential and the CA path; --forward makes another loopback service reachable from the
// simulated instance; the fault flags reach the agent (--idle-timeout ends a `porthole connect`
// session, which then exits 1). Bad flags are usage errors (exit 2) that say what is wrong.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { runSimCommand } from '../../electron/cli/commands/sim'
import { echoThrough, startEcho } from '../fixtures/tunnel/helpers'

let home: string
let echo: Awaited<ReturnType<typeof startEcho>>
const children: ChildProcess[] = []
// If the runner kills this file (its timeout), `after` never runs: do not leave a simulator behind.
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
})

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'porthole-cli-sim-'))
  writeFileSync(join(home, 'aws-config'), '')
  echo = await startEcho()
})
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGINT')
  await echo.close()
  rmSync(home, { recursive: true, force: true })
})

const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: home,
  PORTHOLE_HOME: home,
  AWS_CONFIG_FILE: join(home, 'aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-config'),
  DISPLAY: '',
})
const porthole = (args: string[], env: NodeJS.ProcessEnv = baseEnv()): ChildProcess => {
  const child = spawn(process.execPath, ['electron/cli/porthole.cjs', ...args], { env })
  children.push(child)
  return child
}

/** Collects a child's output; `line(re)` waits for the first stdout line matching re. */
function watch(child: ChildProcess) {
  let out = ''
  let err = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  child.stderr?.on('data', (d) => {
    err += d
  })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const line = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(re)
        if (m) resolve(m)
        else if (child.exitCode !== null) reject(new Error(`exited ${child.exitCode}: ${err}`))
        else setTimeout(check, 100)
      }
      check()
    })
  return { line, exited, stderr: () => err }
}

interface SimInfo {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  env: Record<string, string>
  caFile: string
  streamService: string
  instances: Array<{ instanceId: string }>
  databases: Array<{ rdsHost: string; gate: string; dbUser: string }>
  forwards: unknown[]
  faults: Record<string, number>
}
let info: SimInfo
let simProc: ChildProcess
let simOut: ReturnType<typeof watch>
let conn: ReturnType<typeof watch>

// Stages share one `porthole sim`; each is its own test so a slow machine gets a timeout per stage.
test('sim --json prints every endpoint, credential and the CA path, and they work', async () => {
  simProc = porthole([
    'sim',
    '--json',
    '--forward',
    `echo.internal=127.0.0.1:${echo.port}`,
    '--idle-timeout',
    '15s',
    '--max-duration',
    '10m',
    '--latency',
    '1ms',
  ])
  simOut = watch(simProc)
  info = JSON.parse((await simOut.line(/^\{.*\}$/m))[0]) as SimInfo
  assert.match(info.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.match(info.credentials.accessKeyId, /^AKIA[A-Z2-7]{16}$/)
  assert.equal(info.env.AWS_DEFAULT_REGION, info.region)
  assert.match(readFileSync(info.caFile, 'utf8'), /^-----BEGIN CERTIFICATE-----/)
  assert.match(info.streamService, /^ws:\/\/127\.0\.0\.1:\d+$/)
  assert.match(info.databases[0]?.gate ?? '', /^127\.0\.0\.1:\d+$/)
  assert.deepEqual(info.forwards, [{ host: 'echo.internal', port: echo.port, to: `127.0.0.1:${echo.port}` }])
  assert.equal(info.faults.idleTimeoutMs, 15_000)
  assert.equal(info.faults.maxDurationMs, 600_000)
  assert.equal(info.faults.oneWayLatencyMs, 1)

  // The credentials and endpoint work as printed.
  const sts = new STSClient({ region: info.region, endpoint: info.endpoint, credentials: info.credentials })
  const me = await sts.send(new GetCallerIdentityCommand({}))
  sts.destroy()
  assert.match(me.Arn ?? '', /:user\/porthole-dev$/)
})

test('--forward: porthole connect reaches a loopback service through the simulated VPC', async () => {
  assert.ok(info, 'needs the sim from the previous stage')
  // A target whose "database" is the forwarded echo service, opened by `porthole connect`.
  const add = spawnSync(
    process.execPath,
    [
      'electron/cli/porthole.cjs',
      'targets',
      'add',
      '--name',
      'fwd',
      '--region',
      info.region,
      '--instance',
      info.instances[0]!.instanceId,
      '--host',
      'echo.internal',
      '--port',
      String(echo.port),
      '--database',
      'x',
      '--user',
      'y',
      '--endpoint-url',
      info.endpoint,
    ],
    { env: baseEnv(), encoding: 'utf8' },
  )
  assert.equal(add.status, 0, add.stderr)
  const connect = porthole(['connect', 'fwd'], {
    ...baseEnv(),
    AWS_ACCESS_KEY_ID: info.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: info.credentials.secretAccessKey,
  })
  conn = watch(connect)
  const port = Number((await conn.line(/Listening on 127\.0\.0\.1:(\d+)/))[1])
  assert.equal(
    (await echoThrough(port, Buffer.from('through the forward'))).toString(),
    'through the forward',
  )
})

test('--idle-timeout: the service ends the idle session, connect exits 1; sim exits 0 on Ctrl-C', async () => {
  assert.ok(conn, 'needs the connect from the previous stage')
  assert.equal(await conn.exited, 1)
  assert.match(conn.stderr(), /tunnel closed by the service/)

  simProc.kill('SIGINT')
  assert.equal(await simOut.exited, 0)
})

test('bad sim flags are usage errors that name the problem (exit 2)', async () => {
  const spawned = spawnSync(process.execPath, ['electron/cli/porthole.cjs', 'sim', '--forward', 'nope'], {
    env: baseEnv(),
    encoding: 'utf8',
  })
  assert.equal(spawned.status, 2, spawned.stderr)
  assert.match(spawned.stderr, /--forward nope: not in the form/)
  const cases: Array<[string[], RegExp]> = [
    [['--forward', 'db.internal=10.0.0.5:5432'], /10\.0\.0\.5 is not a 127\.x\.x\.x address/],
    [['--forward', 'db.internal=127.0.0.1:70000'], /ports must be 1-65535/],
    [['--idle-timeout', 'soon'], /--idle-timeout must be a duration like 500ms, 30s or 20m/],
    [['--drop-after', 'many'], /--drop-after must be a whole number/],
    [['--upstream', 'mysql'], /--upstream must be auto, postgres or pglite/],
    [['--nope'], /Unknown option '--nope'/],
  ]
  for (const [args, message] of cases) {
    const errs: string[] = []
    const code = await runSimCommand(args, { out: () => {}, err: (l) => errs.push(l) })
    assert.equal(code, 2, args.join(' '))
    assert.match(errs.join('\n'), message)
  }
})
