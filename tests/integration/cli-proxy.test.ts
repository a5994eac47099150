// Issue 17 from the command line: `porthole proxy demo` runs tunnel + proxy until Ctrl-C; another
// process's `porthole url` finds it through the port lock and leads with its strings, which psql
// uses with no token; a second `porthole proxy` on the same pinned port is refused naming the first.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { ProxyConnectionStrings } from '../../shared/ipc/proxy-models'
import { cliHome, waitOutput } from '../fixtures/cli-home'
import { cleanEnv, psql } from '../fixtures/proxy-fixture'

const { env, cli } = cliHome('porthole-cliproxy-')

test('porthole proxy + porthole url + psql, port conflict named, Ctrl-C ends it', async () => {
  assert.equal(cli('targets', 'demo').code, 0)
  const child = spawn(process.execPath, ['electron/cli/porthole.cjs', 'proxy', 'demo'], { env: env() })
  let err = ''
  child.stderr?.on('data', (d) => {
    err += d
  })
  child.stdout?.on('data', () => {})
  try {
    const m = await waitOutput(child, () => err, /listening on 127\.0\.0\.1:(\d+)/)
    const port = Number(m[1])

    const url = cli('url', 'demo', '--json')
    assert.equal(url.code, 0, url.err)
    const proxy = (JSON.parse(url.out) as { proxy: ProxyConnectionStrings }).proxy
    assert.match(proxy.psql, new RegExp(`host=127\\.0\\.0\\.1 port=${port} `))
    assert.ok(
      !/X-Amz|sslrootcert|PGPASSWORD/.test(JSON.stringify(proxy)),
      'no token or CA path in the strings',
    )
    const passfile =
      /PGPASSFILE=(\S+)/.exec(proxy.env)?.[1]?.replace(/^'|'$/g, '') ?? assert.fail('no PGPASSFILE')
    const tcp = /psql '(.*)'$/.exec(proxy.psql)?.[1] ?? assert.fail(proxy.psql)
    assert.equal((await psql(cleanEnv({ PGPASSFILE: passfile }), [tcp, '-At', '-c', 'select 5'])).trim(), '5')
    const sock = /psql '(.*)'$/.exec(proxy.psqlSocket ?? '')?.[1] ?? assert.fail('no socket string')
    assert.equal((await psql(cleanEnv(), [sock, '-At', '-c', 'select 6'])).trim(), '6')

    const second = cli('proxy', 'demo')
    assert.equal(second.code, 1)
    assert.match(
      second.err,
      new RegExp(`Port ${port} is held by another Porthole \\(cli, pid ${child.pid}, proxy for "Demo`),
    )
  } finally {
    child.kill('SIGINT')
  }
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  assert.equal(code, 0, err)
  const after = cli('url', 'demo', '--once')
  assert.equal(after.code, 1)
  assert.equal(after.out, '', 'no string once the proxy is gone')
})
