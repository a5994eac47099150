// The `porthole` command with MySQL targets: a real process, a temp data dir, the MySQL demo target
// through the simulator when MariaDB runs (skips with a message otherwise).
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { mysqlSkipReason } from './mysql-support'

const skip = (await mysqlSkipReason()) || false
let home: string
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['electron/cli/porthole.cjs', ...args], {
    env: { ...process.env, PORTHOLE_HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '' },
    encoding: 'utf8',
    timeout: 180_000,
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'porthole-mysql-cli-'))
})
after(async () => {
  await rm(home, { recursive: true, force: true })
})

test('targets add --engine mysql defaults the port to 3306', () => {
  const r = cli(
    'targets',
    'add',
    '--name',
    'shop',
    '--engine',
    'mysql',
    '--region',
    'eu-west-1',
    '--instance',
    'i-0123456789abcdef0',
    '--host',
    'shop.abc.eu-west-1.rds.amazonaws.com',
    '--database',
    'shop',
    '--user',
    'iam_app',
    '--json',
  )
  assert.equal(r.code, 0, r.err)
  const t = JSON.parse(r.out) as { engine: string; rdsPort: number }
  assert.deepEqual([t.engine, t.rdsPort], ['mysql', 3306])
  assert.equal(cli('targets', 'rm', 'shop').code, 0)
})

describe('the MySQL demo from the command line', { skip }, () => {
  test('targets demo adds both demo targets; url prints the mysql client strings', async () => {
    const demo = cli('targets', 'demo')
    assert.equal(demo.code, 0, demo.err)
    assert.match(demo.out, /demo target ready: Demo \(simulated AWS\)/)
    assert.match(demo.out, /demo target ready: MySQL demo \(simulated AWS\)/)
    // Without a proxy, url holds the tunnel open while the direct strings are valid (Ctrl-C ends it).
    const out = await untilTunnelOpen(['url', 'mysql'])
    assert.match(
      out,
      /^# mysql \(MariaDB client\)\nmysql --host=127\.0\.0\.1 --port=\d+ --user=iam_reader --ssl --ssl-ca=\S+ demo$/m,
    )
    assert.match(out, /# JDBC \(MariaDB Connector\/J\)\njdbc:mariadb:/)
    assert.ok(!out.includes('X-Amz-Signature'), 'no token unless asked')
  })
})

/** Runs the CLI until it says the tunnel is open, then sends SIGINT; resolves with its stdout. */
function untilTunnelOpen(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['electron/cli/porthole.cjs', ...args], {
      env: { ...process.env, PORTHOLE_HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '' },
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString()
      if (err.includes('tunnel open')) child.kill('SIGINT')
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      err.includes('tunnel open') ? resolve(out) : reject(new Error(`exit ${code}: ${err}`)),
    )
  })
}
