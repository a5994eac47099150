// Issue 11 through the `porthole` command: unknown commands (5), import preview (6), ambiguous
// names (8), ports (11), the SDK warning (12), --help everywhere (16), and a hostile caFile or
// import file (2). Most cases call the CLI's main() in this process (each real process costs
// seconds of start-up on a busy machine); the cases that depend on the process itself (exit codes,
// stack traces, stderr warnings) spawn the real command. Parallel writers (item 3) have their own file.
import assert from 'node:assert/strict'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { main } from '../../electron/cli/main'

let root: string
async function newHome(): Promise<string> {
  return mkdtemp(join(root, 'home-'))
}
const env = (home: string) => ({ ...process.env, PORTHOLE_HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '' })
/** The real command in its own process. */
const spawnCli = (home: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, ['electron/cli/porthole.cjs', ...args], {
    env: env(home),
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
/** The CLI's main() in this process, with the data dir set as the command would see it. */
const cli = async (home: string, ...args: string[]) => {
  const out: string[] = []
  const err: string[] = []
  const saved = process.env.PORTHOLE_HOME
  process.env.PORTHOLE_HOME = home
  try {
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  } finally {
    if (saved === undefined) delete process.env.PORTHOLE_HOME
    else process.env.PORTHOLE_HOME = saved
  }
}
const targetArgs = (name: string) => [
  'targets',
  'add',
  '--name',
  name,
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
const names = async (home: string) =>
  (JSON.parse((await cli(home, 'targets', 'list', '--json')).out) as Array<{ name: string }>)
    .map((t) => t.name)
    .sort()

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-cli-hardening-'))
})
after(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('items 5 and 16: usage, unknown commands and --help', () => {
  test('constructor / toString / __proto__ are unknown commands: exit 2, usage, no stack', async () => {
    const home = await newHome()
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'nope']) {
      const r = await cli(home, name)
      assert.equal(r.code, 2, name)
      assert.match(r.err, new RegExp(`^porthole: unknown command "${name}"`))
      assert.match(r.err, /porthole targets list/, 'the usage follows')
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace')
    }
    // And as a real process: exit code 2 and one clean message, where it used to crash.
    for (const name of ['constructor', 'toString']) {
      const r = spawnCli(home, name)
      assert.equal(r.code, 2, r.err)
      assert.match(r.err, new RegExp(`^porthole: unknown command "${name}"\n`))
      assert.doesNotMatch(r.err, /\n\s+at |TypeError/)
    }
  })

  test('every command and subcommand answers --help (and -h) with its usage and exit 0', async () => {
    const home = await newHome()
    const cases: Array<[string[], RegExp]> = [
      [['--help'], /^Porthole /],
      [['targets', '--help'], /porthole targets list/],
      [['targets', 'list', '--help'], /^usage: porthole targets list/],
      [['targets', 'add', '--help'], /^usage: porthole targets add --name N/],
      [['targets', 'rm', '-h'], /^usage: porthole targets rm/],
      [['targets', 'import', '--help'], /^usage: porthole targets import .*--dry-run/],
      [['targets', 'export', '--help'], /^usage: porthole targets export/],
      [['targets', 'demo', '--help'], /^usage: porthole targets demo/],
      [['start', '--help'], /^usage: porthole start/],
      [['connect', '--help'], /^usage: porthole connect/],
      [['url', '--help'], /^usage: porthole url/],
      // The whole usage a usage error prints, every option (it once printed a shorter copy).
      [['sim', '--help'], /^usage: porthole sim .*--json[\s\S]*--forward[\s\S]*--latency/],
      [['proxy', '--help'], /^usage: porthole proxy/],
      [['login', '--help'], /^usage: porthole login/],
    ]
    for (const [args, usage] of cases) {
      const r = await cli(home, ...args)
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`)
      assert.match(r.out, usage, args.join(' '))
    }
    const real = spawnCli(home, 'targets', 'add', '--help')
    assert.equal(real.code, 0, real.err)
    assert.match(real.out, /^usage: porthole targets add --name N/)
    assert.deepEqual(await names(home), [], '--help ran nothing (targets demo did not add a target)')
  })
})

test('item 11: --port takes digits only', async () => {
  const home = await newHome()
  for (const port of ['1e3', '0x10', '']) {
    const r = await cli(home, ...targetArgs('p'), '--port', port)
    assert.equal(r.code, 1, port)
    assert.equal(r.err.trim(), 'porthole: targets add: rdsPort must be a whole number written in digits')
  }
  assert.equal((await cli(home, ...targetArgs('p'), '--port', '6543')).code, 0)
})

test('item 8: duplicate names are refused and `targets rm` refuses an ambiguous name', async () => {
  const home = await newHome()
  assert.equal((await cli(home, ...targetArgs('prod'))).code, 0)
  const again = await cli(home, ...targetArgs('PROD'))
  assert.equal(again.code, 1)
  assert.match(again.err, /name "PROD" is already the name of another target/)
  // A store written before names were unique may still hold look-alikes: rm must not pick one.
  const listed = JSON.parse((await cli(home, 'targets', 'list', '--json')).out) as Array<
    Record<string, unknown>
  >
  const twin = { ...listed[0], id: 't_twin00000001', name: 'Prod' }
  await writeFile(join(home, 'targets.json'), JSON.stringify({ version: 1, targets: [listed[0], twin] }))
  const rm = await cli(home, 'targets', 'rm', 'prod')
  assert.equal(rm.code, 1)
  assert.match(rm.err, /"prod" matches 2 targets: .*t_twin00000001/)
  assert.equal((await names(home)).length, 2, 'nothing removed')
  assert.equal((await cli(home, 'targets', 'rm', 't_twin00000001')).code, 0)
  assert.deepEqual(await names(home), ['prod'])
})

test('item 6: `targets import --dry-run` shows what would change and changes nothing', async () => {
  const home = await newHome()
  assert.equal((await cli(home, ...targetArgs('kept'))).code, 0)
  assert.equal((await cli(home, ...targetArgs('moved'))).code, 0)
  const saved = JSON.parse((await cli(home, 'targets', 'list', '--json')).out) as Array<
    Record<string, unknown>
  >
  const file = join(home, 'in.json')
  const moved = saved.find((t) => t.name === 'moved')
  const edited = saved.map((t) => (t === moved ? { ...t, region: 'us-east-1' } : t))
  const fresh = { ...saved[0], id: undefined, name: 'fresh' }
  await writeFile(file, JSON.stringify({ porthole: 'targets', version: 1, targets: [...edited, fresh] }))
  const dry = await cli(home, 'targets', 'import', file, '--dry-run')
  assert.equal(dry.code, 0, dry.err)
  assert.match(dry.out, /would add 1, update 1, leave 1 unchanged/)
  assert.match(dry.out, /add {8}fresh/)
  assert.match(dry.out, /update {5}moved \(t_[\w-]+\): region/)
  assert.match(dry.out, /unchanged {2}kept/)
  assert.match(dry.out, /dry run: nothing was changed/)
  assert.deepEqual(await names(home), ['kept', 'moved'])
  assert.match(
    (await cli(home, 'targets', 'import', file)).out,
    /imported 1 new and 1 updated targets \(1 unchanged\)/,
  )
  assert.deepEqual(await names(home), ['fresh', 'kept', 'moved'])
})

test('item 6: an import with a javascript: endpointUrl is refused naming the field', async () => {
  const home = await newHome()
  const file = join(home, 'evil.json')
  const evil = { name: 'x', region: 'eu-west-1', instanceId: 'i-0123456789abcdef0' }
  await writeFile(
    file,
    JSON.stringify([
      { ...evil, rdsHost: 'db.x.com', database: 'a', dbUser: 'u', endpointUrl: 'javascript:alert(1)' },
    ]),
  )
  const r = await cli(home, 'targets', 'import', file)
  assert.equal(r.code, 1)
  assert.match(r.err, /targets\[0\]\.endpointUrl must be an http:\/\/ or https:\/\/ URL/)
})

test('item 2: a FIFO or /dev/zero as caFile or import file is refused at once, not read', async () => {
  const home = await newHome()
  const fifo = join(home, 'pipe')
  execFileSync('mkfifo', [fifo])
  const asCa = await cli(home, ...targetArgs('c'), '--ca-file', fifo)
  assert.equal(asCa.code, 1)
  assert.match(asCa.err, /caFile .*pipe is a FIFO, not a regular file/)
  const zero = await cli(home, ...targetArgs('c'), '--ca-file', '/dev/zero')
  assert.match(zero.err, /caFile \/dev\/zero is a device, not a regular file/)
  const importFifo = await cli(home, 'targets', 'import', fifo)
  assert.equal(importFifo.code, 1)
  assert.match(importFifo.err, /Import refused, nothing was changed: .*pipe is a FIFO/)
  assert.match((await cli(home, 'targets', 'import', '/dev/zero')).err, /is a device, not a regular file/)
})

describe('item 12: the AWS SDK Node-version warning, and only it, is silenced', () => {
  // The SDK's own function, in a real Node process with the CLI's filter installed, next to an
  // ordinary warning: stderr shows the ordinary one and not the SDK's.
  test('the filter drops the SDK warning and keeps every other warning', () => {
    const script = `
      import { quietSdkNodeVersionWarning } from './electron/cli/quiet-sdk-warning.cjs'
      import { createRequire } from 'node:module'
      quietSdkNodeVersionWarning()
      const { emitWarningIfUnsupportedVersion } = createRequire(import.meta.url)('@aws-sdk/core/client')
      emitWarningIfUnsupportedVersion('v20.0.0')
      process.emitWarning('something else worth seeing', 'DeprecationWarning')
    `
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    assert.equal(r.status, 0, r.stderr)
    assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning|AWS SDK for JavaScript/)
    assert.match(r.stderr, /DeprecationWarning: something else worth seeing/)
    // Without the filter the same process prints it (so this test can fail).
    const bare = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script.replace('quietSdkNodeVersionWarning()', '')],
      { encoding: 'utf8' },
    )
    if (Number(process.versions.node.split('.')[0]) < 22)
      assert.match(bare.stderr, /NodeVersionSupportWarning/)
  })

  test('a CLI command that builds SDK clients prints no SDK warning', async () => {
    const home = await newHome()
    assert.equal((await cli(home, 'targets', 'demo')).code, 0)
    // `url` without --once opens the tunnel (SSM client, credentials, IAM signer), prints the
    // direct strings and holds the tunnel until Ctrl-C: wait for the strings, then interrupt it.
    const child = spawn(process.execPath, ['electron/cli/porthole.cjs', 'url', 'demo', '--json'], {
      env: env(home),
    })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('psql')) resolve()
      })
      void exited.then(() => reject(new Error(`url exited before printing strings: ${err}`)))
    })
    child.kill('SIGINT')
    await exited
    assert.doesNotMatch(err, /NodeVersionSupportWarning|AWS SDK for JavaScript/)
  })
})
