// Issue 11 item 3: two processes writing the store (the app and the CLI, or several CLIs) used to
// lose each other's updates while both reported success. Real `porthole` processes, run at once.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { openConfTargetStore } from '../../electron/store/conf-target-store'

let root: string
async function newHome(): Promise<string> {
  return mkdtemp(join(root, 'home-'))
}
const env = (home: string) => ({ ...process.env, PORTHOLE_HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '' })
/** The real command, asynchronously, so many run at once. */
const cliAsync = (home: string, ...args: string[]) =>
  new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['electron/cli/porthole.cjs', ...args], {
      env: env(home),
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let err = ''
    child.stderr.on('data', (d) => {
      err += d
    })
    child.on('exit', (code) => resolve({ code, err }))
  })
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
const names = (home: string) => {
  const r = spawnSync(process.execPath, ['electron/cli/porthole.cjs', 'targets', 'list', '--json'], {
    env: env(home),
    encoding: 'utf8',
  })
  return (JSON.parse(r.stdout) as Array<{ name: string }>).map((t) => t.name).sort()
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-cli-writers-'))
})
after(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('item 3: store writes from several processes are serialised', () => {
  test('12 parallel `porthole targets add` leave 12 targets', async () => {
    const home = await newHome()
    const wanted = Array.from({ length: 12 }, (_, i) => `parallel-${String(i).padStart(2, '0')}`)
    const runs = await Promise.all(wanted.map((name) => cliAsync(home, ...targetArgs(name))))
    for (const r of runs) assert.equal(r.code, 0, r.err)
    assert.deepEqual(names(home), wanted)
  })

  test('the app (an in-process store) and CLI processes writing at once lose nothing', async () => {
    const home = await newHome()
    const app = openConfTargetStore({ dir: home })
    const fromCli = Array.from({ length: 4 }, (_, i) => `cli-${i}`)
    const fromApp = Array.from({ length: 4 }, (_, i) => `app-${i}`)
    const cliRuns = Promise.all(fromCli.map((name) => cliAsync(home, ...targetArgs(name))))
    const appSaves = Promise.all(
      fromApp.map((name) =>
        app.save({
          name,
          region: 'eu-west-1',
          instanceId: 'i-0123456789abcdef0',
          rdsHost: 'db.abc.eu-west-1.rds.amazonaws.com',
          database: 'app',
          dbUser: 'iam_app',
        }),
      ),
    )
    const [runs] = await Promise.all([cliRuns, appSaves])
    for (const r of runs) assert.equal(r.code, 0, r.err)
    assert.deepEqual(names(home), [...fromApp, ...fromCli].sort())
  })
})
