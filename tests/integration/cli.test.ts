// The `porthole` command as a user runs it: a real process, a temp data dir, real exit codes.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { waitFor } from '../fixtures/wait-for'

let home: string
const env = () => ({ ...process.env, PORTHOLE_HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '' })
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['electron/cli/porthole.cjs', ...args], {
    env: env(),
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const good = [
  '--region',
  'eu-west-1',
  '--instance',
  'i-0123456789abcdef0',
  '--host',
  'db.abc.eu-west-1.rds.amazonaws.com',
  '--database',
  'app',
  '--user',
  'iam_app',
]

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'porthole-cli-'))
})
after(async () => {
  await rm(home, { recursive: true, force: true })
})

test('targets add / list --json / export / rm / import round trip', () => {
  assert.equal(cli('targets', 'add', '--name', 'prod', ...good).code, 0)
  const listed = JSON.parse(cli('targets', 'list', '--json').out) as Array<{ name: string; rdsPort: number }>
  assert.deepEqual(
    listed.map((t) => [t.name, t.rdsPort]),
    [['prod', 5432]],
  )
  const exported = cli('targets', 'export').out
  assert.equal(cli('targets', 'rm', 'prod').code, 0)
  assert.equal(JSON.parse(cli('targets', 'list', '--json').out).length, 0)
  return writeFile(join(home, 'export.json'), exported).then(() => {
    assert.match(cli('targets', 'import', join(home, 'export.json')).out, /imported 1 new/)
  })
})

test('bad input exits non-zero with one line naming the field', () => {
  const r = cli('targets', 'add', '--name', 'x', ...good.map((a) => (a === 'eu-west-1' ? 'Frankfurt' : a)))
  assert.equal(r.code, 1)
  assert.equal(r.err.trim(), 'porthole: targets add: region is not an AWS region such as us-east-1')
  const usage = cli('targets', 'add', '--nme', 'x')
  assert.equal(usage.code, 2)
  assert.equal(usage.err.trim().split('\n').length, 1)
  assert.equal(cli('nope').code, 2)
})

test('import rejects an invalid target naming targets[i].field, and keeps the store intact', async () => {
  const file = join(home, 'bad.json')
  await writeFile(
    file,
    JSON.stringify({ porthole: 'targets', version: 1, targets: [{ name: 'a', region: 'mars-1' }] }),
  )
  const r = cli('targets', 'import', file)
  assert.equal(r.code, 1)
  assert.match(r.err, /targets\[0\]\.\w+/)
  assert.equal(JSON.parse(cli('targets', 'list', '--json').out).length, 1)
})

test('help, version and targets list start without the ES module loader; other commands load main.mjs', async () => {
  // porthole.cjs serves these from the build's fast.cjs (CommonJS): on Node 20 the ES module loader
  // alone costs ~18 ms before any code runs. The loader's job runner shows whether it ran.
  const list = join(home, 'modules.txt')
  const run = (...args: string[]) => {
    const r = spawnSync(
      process.execPath,
      ['-r', './tests/fixtures/module-list-preload.cjs', 'electron/cli/porthole.cjs', ...args],
      { env: { ...env(), PORTHOLE_TEST_MODULE_LIST: list }, encoding: 'utf8' },
    )
    assert.equal(r.status, 0, r.stderr)
    return { out: r.stdout, esm: readFileSync(list, 'utf8').includes('internal/modules/esm/module_job') }
  }
  for (const args of [
    ['--help'],
    ['--version'],
    ['targets', 'list'],
    ['targets', 'list', '--json'],
    ['targets'],
  ])
    assert.equal(run(...args).esm, false, args.join(' '))
  const exported = run('targets', 'export')
  assert.equal(exported.esm, true)
  // The same store through both builds.
  assert.deepEqual(JSON.parse(exported.out).targets, JSON.parse(run('targets', 'list', '--json').out))
})

test('a corrupt store file is kept aside and the command says why, where it went, in English', async () => {
  const own = await mkdtemp(join(tmpdir(), 'porthole-cli-corrupt-'))
  try {
    await writeFile(join(own, 'targets.json'), '{"version":1,"targets":[{"id":"t_abcdefgh","name":5}]}')
    const r = spawnSync(process.execPath, ['electron/cli/porthole.cjs', 'targets', 'list'], {
      env: { ...env(), PORTHOLE_HOME: own },
      encoding: 'utf8',
    })
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^No saved targets/)
    // The reason names the field and what was wrong (zod's own English, not "Invalid input" alone).
    assert.match(r.stderr, /targets\[0\]\.name Invalid input: expected string, received number/)
    const kept = /kept aside as (\S+\.json)/.exec(r.stderr)?.[1]
    assert.ok(kept, r.stderr)
    assert.match(await readFile(kept, 'utf8'), /"name":5/, 'the file is kept as it was')
  } finally {
    await rm(own, { recursive: true, force: true })
  }
})

test('url --once with no proxy running prints no string (its tunnel would be closed) and says why', () => {
  assert.equal(cli('targets', 'demo').code, 0)
  const r = cli('url', 'demo', '--once', '--json')
  assert.equal(r.code, 1)
  assert.equal(r.out, '')
  assert.match(r.err, /No Porthole proxy is running for "Demo/)
  assert.match(r.err, /porthole proxy/)
})

test('start without a display says why and serves the UI on 127.0.0.1 until SIGINT', async () => {
  const child: ChildProcess = spawn(process.execPath, ['electron/cli/porthole.cjs', 'start'], { env: env() })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  child.stderr?.on('data', (d) => {
    err += d
  })
  await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/#token=/.test(out) || child.exitCode !== null, {
    what: 'porthole start --web printing its URL',
    progress: () => out.length + err.length,
    stallMs: 120_000,
  })
  const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0]
  assert.ok(url, `no URL printed: ${out} ${err}`)
  assert.match(err, /Electron cannot start here: no display/)
  const res = await fetch(url)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/)
  const exited = new Promise<number | null>((r) => child.on('exit', r))
  child.kill('SIGINT')
  assert.equal(await exited, 0)
})

test('sim runs the simulator standalone and prints how to point the SDK at it', async () => {
  const child: ChildProcess = spawn(process.execPath, ['electron/cli/porthole.cjs', 'sim'], { env: env() })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  await waitFor(() => out.includes('Ctrl-C') || child.exitCode !== null, {
    what: 'porthole sim printing its instructions',
    progress: () => out.length,
    stallMs: 120_000,
  })
  assert.match(out, /export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+/)
  assert.match(out, /export AWS_ACCESS_KEY_ID=AKIA[A-Z2-7]{16}/)
  assert.match(out, /--ca-file \S+sim-rds-ca\.pem/)
  const exited = new Promise<number | null>((r) => child.on('exit', r))
  child.kill('SIGINT')
  assert.equal(await exited, 0)
})
