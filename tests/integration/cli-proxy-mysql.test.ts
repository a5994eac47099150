// The MySQL proxy from the command line: `porthole proxy "MySQL demo"` runs tunnel + proxy until
// Ctrl-C; another process's `porthole url` finds it through the port lock and prints the mysql
// strings, which Debian's real `mysql` client runs as printed (option file; Unix socket).
import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { DEMO_MYSQL } from '../../shared/demo'
import type { ProxyConnectionStrings } from '../../shared/ipc/proxy-models'
import { cliHome, waitOutput } from '../fixtures/cli-home'
import { hasMysqlClient, mysqlEnv } from '../fixtures/mysql-proxy-fixture'
import { mysqlSkipReason } from './mysql-support'

const sh = promisify(execFile)
const skip =
  (await mysqlSkipReason()) || ((await hasMysqlClient()) ? false : 'the mysql client is not installed')
const { env, cli } = cliHome('porthole-cliproxy-my-')

/** Runs a printed command line through the shell, as a user pasting it would. */
const paste = async (line: string, sql: string) =>
  (await sh('sh', ['-c', `${line} -N -B -e ${JSON.stringify(sql)}`], { env: mysqlEnv() })).stdout.trim()

describe('porthole proxy on a MySQL target', { skip }, () => {
  test('porthole proxy + porthole url + the real mysql client; Ctrl-C ends it', async () => {
    assert.equal(cli('targets', 'demo').code, 0)
    const child = spawn(process.execPath, ['electron/cli/porthole.cjs', 'proxy', DEMO_MYSQL.targetName], {
      env: env(),
    })
    let err = ''
    let out = ''
    child.stderr?.on('data', (d) => {
      err += d
    })
    child.stdout?.on('data', (d) => {
      out += d
    })
    try {
      const m = await waitOutput(child, () => err, /listening on 127\.0\.0\.1:(\d+)/)
      const port = Number(m[1])
      assert.match(out, /# mysql \(TCP; secret from the option file\)\nmysql --defaults-extra-file=/)

      const url = cli('url', DEMO_MYSQL.targetName, '--json')
      assert.equal(url.code, 0, url.err)
      const proxy = (JSON.parse(url.out) as { proxy: ProxyConnectionStrings }).proxy
      assert.match(
        proxy.psql,
        new RegExp(`^mysql --defaults-extra-file=\\S+\\.my\\.cnf -h 127\\.0\\.0\\.1 -P ${port} `),
      )
      assert.ok(!/X-Amz|ssl-ca|MYSQL_PWD/.test(JSON.stringify(proxy)), 'no token or CA path in the strings')
      assert.equal(await paste(proxy.psql, 'select 5, current_user()'), `5\t${DEMO_MYSQL.dbUser}@%`)
      assert.equal(await paste(proxy.psqlSocket ?? assert.fail('no socket string'), 'select 6'), '6')
      await waitOutput(child, () => err, /client connected: mysql over unix/)
    } finally {
      child.kill('SIGINT')
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    assert.equal(code, 0, err)
    const afterStop = cli('url', DEMO_MYSQL.targetName, '--once')
    assert.equal(afterStop.code, 1)
    assert.equal(afterStop.out, '', 'no string once the proxy is gone')
  })
})
