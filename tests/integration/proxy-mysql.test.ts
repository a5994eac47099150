// Issue 15 (the MySQL half of issue 17's proxy): any MySQL tool reaches the MySQL demo target
// through the local auth proxy with no token: Debian's `mysql` over TCP (secret from the option
// file) and the Unix socket, mysql2 with prepared statements and a big result, refusals with
// MySQL's own 1045, Ctrl-C through KILL QUERY, a fresh token per upstream connection, audit.
// Real sockets through the simulator's tunnel and MySQL gate in front of the real MariaDB.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { after, before, describe, test } from 'node:test'
import mysql from 'mysql2/promise'
import {
  hasMysqlClient,
  type MySqlProxyFixture,
  mysqlClient,
  mysqlEnv,
  startMySqlProxyFixture,
} from '../fixtures/mysql-proxy-fixture'
import { waitFor } from '../fixtures/wait-for'
import { mysqlSkipReason } from './mysql-support'

const skip =
  (await mysqlSkipReason()) || ((await hasMysqlClient()) ? false : 'the mysql client is not installed')
let fx: MySqlProxyFixture
before(async () => {
  if (!skip) fx = await startMySqlProxyFixture()
})
after(async () => {
  await fx?.close()
})

const tcpArgs = (): string[] => [
  `--defaults-extra-file=${fx.optionFile}`,
  '-h',
  '127.0.0.1',
  '-P',
  String(fx.status.port),
  '-u',
  fx.target.dbUser,
  fx.target.database,
]

const refused = async (
  over: mysql.ConnectionOptions,
): Promise<Error & { errno?: number; sqlState?: string }> => {
  try {
    const c = await mysql.createConnection(fx.config(over))
    await c.end()
  } catch (err) {
    return err as Error & { errno?: number; sqlState?: string }
  }
  return assert.fail('the proxy let the client in')
}

describe('the MySQL local auth proxy', { skip }, () => {
  test('mysql over TCP reads the secret from the 0600 option file; one-packet multi-statement results', async () => {
    assert.equal(statSync(fx.optionFile).mode & 0o777, 0o600)
    assert.equal(statSync(dirname(fx.optionFile)).mode & 0o777, 0o700)
    assert.match(
      readFileSync(fx.optionFile, 'utf8'),
      new RegExp(`^\\[client\\]\\npassword=${fx.secret}$`, 'm'),
    )
    const out = await mysqlClient([
      ...tcpArgs(),
      '-N',
      '-B',
      '-e',
      'select 40 + 2, current_user(), database()',
    ])
    assert.equal(out.trim(), `42\t${fx.target.dbUser}@%\t${fx.target.database}`)
    // With another delimiter the client sends both statements in one COM_QUERY: two result sets.
    const multi = await mysqlClient([
      ...tcpArgs(),
      '-N',
      '-B',
      '-e',
      "delimiter $$\nselect 1 as a; select 'two' as b $$",
    ])
    assert.deepEqual(multi.trim().split('\n'), ['1', 'two'])
  })

  test('mysql over the Unix socket needs no secret; folder 0700, socket 0600', async () => {
    const out = await mysqlClient([
      `--socket=${fx.socketPath}`,
      '-u',
      fx.target.dbUser,
      '-N',
      '-B',
      '-e',
      'select 7',
    ])
    assert.equal(out.trim(), '7')
    assert.equal(statSync(dirname(fx.socketPath)).mode & 0o777, 0o700)
    assert.equal(statSync(fx.socketPath).mode & 0o777, 0o600)
  })

  test('mysql2: multi-statement results and prepared statements', async () => {
    const c = await mysql.createConnection(fx.config({ multipleStatements: true }))
    try {
      const [sets] = await c.query('select 1 as a; select 2 as b')
      assert.deepEqual(sets, [[{ a: 1 }], [{ b: 2 }]])
      const [rows] = await c.execute('select ? + ? as s, concat(?, ?) as t', [20, 22, 'pr', 'epared'])
      assert.deepEqual(rows, [{ s: 42, t: 'prepared' }])
      const [again] = await c.execute('select ? + ? as s, concat(?, ?) as t', [1, 2, 'a', 'b'])
      assert.deepEqual(again, [{ s: 3, t: 'ab' }])
    } finally {
      await c.end()
    }
  })

  test('a big result (20k rows, ~13 MB, binary column) arrives byte-exact', async () => {
    const c = await mysql.createConnection(fx.config())
    try {
      const n = 20_000
      const [rows] = await c.query<mysql.RowDataPacket[]>(
        `with d as (select 0 as v union all select 1 union all select 2 union all select 3 union all select 4
           union all select 5 union all select 6 union all select 7 union all select 8 union all select 9),
         s as (select 1 + a.v + 10 * b.v + 100 * c.v + 1000 * e.v + 10000 * f.v as n
           from d a, d b, d c, d e, d f where f.v < 2)
         select n, sha2(n, 256) as h, unhex(sha2(n, 256)) as raw, repeat(sha2(n, 256), 8) as pad from s order by n`,
      )
      assert.equal(rows.length, n)
      for (const [i, row] of rows.entries()) {
        const hex = createHash('sha256')
          .update(String(i + 1))
          .digest('hex')
        assert.equal(row.n, i + 1)
        assert.equal(row.h, hex)
        assert.deepEqual(row.raw, Buffer.from(hex, 'hex'))
        assert.equal(row.pad, hex.repeat(8))
      }
    } finally {
      await c.end()
    }
  })

  test("a wrong secret is MySQL's 1045 (28000); the proxy keeps serving", async () => {
    const e = await refused({ password: 'not-the-secret' })
    assert.equal(e.errno, 1045)
    assert.equal(e.sqlState, '28000')
    assert.ok(
      e.message.startsWith(`Access denied for user '${fx.target.dbUser}'@'localhost' (using password: YES)`),
    )
    assert.match(e.message, /local secret/)
    const none = await refused({ password: '' })
    assert.ok(
      none.message.startsWith(
        `Access denied for user '${fx.target.dbUser}'@'localhost' (using password: NO)`,
      ),
    )
    await assert.rejects(
      mysqlClient([
        '-h',
        '127.0.0.1',
        '-P',
        String(fx.status.port),
        '-u',
        fx.target.dbUser,
        '-pwrong',
        '-e',
        'select 1',
      ]),
      /ERROR 1045 \(28000\): Access denied for user/,
    )
    const c = await mysql.createConnection(fx.config())
    assert.deepEqual((await c.query('select 1 as n'))[0], [{ n: 1 }])
    await c.end()
  })

  test('another user is 1045 naming the user the proxy logs in as (TCP and socket)', async () => {
    const e = await refused({ user: 'someone_else' })
    assert.equal(e.errno, 1045)
    assert.match(
      e.message,
      new RegExp(`^Access denied for user 'someone_else'@'localhost'.*'${fx.target.dbUser}'`),
    )
    await assert.rejects(
      mysqlClient([`--socket=${fx.socketPath}`, '-u', 'root', '-e', 'select 1']),
      new RegExp(`ERROR 1045 \\(28000\\).*logs in as '${fx.target.dbUser}' only`),
    )
  })

  test('a client configured for caching_sha2_password passes with its fast-auth scramble', async () => {
    const out = await mysqlClient([
      ...tcpArgs(),
      '--default-auth=caching_sha2_password',
      '-N',
      '-B',
      '-e',
      'select 9',
    ])
    assert.equal(out.trim(), '9')
  })

  test('a client that insists on TLS gets a clear error, not a hang', async () => {
    await assert.rejects(
      mysqlClient([...tcpArgs(), '--ssl', '--ssl-verify-server-cert', '-e', 'select 1']),
      /ERROR 20\d\d/,
    )
  })

  test('every upstream connection signs a fresh token', async () => {
    const before = (await fx.now()).tokensSigned
    for (let i = 0; i < 3; i++) {
      const c = await mysql.createConnection(fx.config())
      await c.query('select 1')
      await c.end()
    }
    await mysqlClient([...tcpArgs(), '-e', 'select 1'])
    assert.equal((await fx.now()).tokensSigned, before + 4)
    // A refused local client never costs a token.
    await refused({ password: 'wrong' })
    assert.equal((await fx.now()).tokensSigned, before + 4)
  })

  test("mysql's Ctrl-C on select sleep(30) sends KILL QUERY through the proxy with the database's id", async () => {
    // --comments: the client keeps the marker comment, so the watcher finds exactly this statement.
    const child = spawn('mysql', [...tcpArgs(), '--comments', '-e', 'select sleep(30) /* ctrl-c probe */'], {
      env: mysqlEnv(),
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const watcher = await mysql.createConnection(fx.config())
    try {
      let id = 0
      await waitFor(
        async () => {
          const [rows] = await watcher.query<mysql.RowDataPacket[]>(
            "select id from information_schema.processlist where info like 'select sleep(30)%ctrl-c probe%'",
          )
          id = rows[0]?.id ?? 0
          return id > 0
        },
        { what: 'the sleep to run' },
      )
      const tokens = (await fx.now()).tokensSigned
      const sentAt = Date.now()
      child.kill('SIGINT')
      await exited
      const took = Date.now() - sentAt
      assert.match(output, /query killed|interrupted/i)
      // Far below the 30 s sleep: the kill reached the server (not a timeout).
      assert.ok(took < 20_000, `cancel took ${took} ms`)
      assert.ok((await fx.now()).tokensSigned > tokens, 'the KILL QUERY connection went through the proxy')
      const [left] = await watcher.query<mysql.RowDataPacket[]>(
        `select count(*) as n from information_schema.processlist where id = ${id} and info like 'select sleep%'`,
      )
      assert.equal(left[0]?.n, 0)
    } finally {
      child.kill('SIGKILL')
      await watcher.end()
    }
  })

  test('status lists the client by program_name; the audit log records it without the secret', async () => {
    const c = await mysql.createConnection(
      fx.config({ connectAttributes: { program_name: 'mysql-audit-probe' } }),
    )
    await c.query("select repeat('x', 5000)")
    const me = (await fx.now()).clients.find((cl) => cl.applicationName === 'mysql-audit-probe')
    assert.ok(me, 'client listed')
    assert.equal(me.transport, 'tcp')
    assert.equal(me.user, fx.target.dbUser)
    assert.ok(me.sessionIds.length > 0)
    await c.end()
    let entry: Awaited<ReturnType<typeof fx.te.engine.handlers.listAuditLog>>[number] | undefined
    await waitFor(
      async () => {
        entry = (await fx.te.engine.handlers.listAuditLog({ limit: 50 })).find(
          (e) => e.applicationName === 'mysql-audit-probe',
        )
        return entry !== undefined
      },
      { what: 'the audit entry', everyMs: 50 },
    )
    assert.ok(entry)
    assert.equal(entry.database, fx.target.database)
    assert.ok(entry.bytesIn > 5000)
    assert.equal(entry.ended, 'client closed')
    assert.ok(!JSON.stringify(entry).includes(fx.secret))
    const refusedEntry = (await fx.te.engine.handlers.listAuditLog({ limit: 200 })).find((e) =>
      e.ended.startsWith('refused: 1045'),
    )
    assert.ok(refusedEntry, 'refused logins are audited too')
  })

  test('the connection strings lead with the proxy: option file, socket, JDBC; no token or CA path', async () => {
    const cs = await fx.te.engine.handlers.getConnectionStrings({ targetId: fx.target.id, withToken: false })
    const p = cs.proxy ?? assert.fail('no proxy strings')
    assert.equal(
      p.psql,
      `mysql --defaults-extra-file=${fx.optionFile} -h 127.0.0.1 -P ${fx.status.port} -u ${fx.target.dbUser} ${fx.target.database}`,
    )
    assert.equal(p.psqlSocket, `mysql --socket=${fx.socketPath} -u ${fx.target.dbUser} ${fx.target.database}`)
    assert.equal(
      p.jdbc,
      `jdbc:mysql://127.0.0.1:${fx.status.port}/${fx.target.database}?user=${fx.target.dbUser}&sslMode=DISABLED`,
    )
    assert.ok(!/X-Amz|ssl-ca|MYSQL_PWD|password=/.test(JSON.stringify(p)))
    assert.ok(!JSON.stringify(p).includes(fx.secret))
    // The copied socket string works as it is.
    const out = await mysqlClient([...p.psqlSocket.split(' ').slice(1), '-N', '-B', '-e', 'select 11'])
    assert.equal(out.trim(), '11')
  })

  test('stopping the proxy closes its sessions cleanly', async () => {
    const c = await mysql.createConnection(fx.config())
    c.on('error', () => {})
    await c.query('select 1')
    // mysql2/promise keeps the core connection (and its socket) untyped on `.connection`.
    const core = (c as unknown as { connection: { stream: NodeJS.EventEmitter } }).connection
    const closed = new Promise<void>((resolve) => core.stream.once('close', () => resolve()))
    await fx.te.engine.handlers.stopProxy({ targetId: fx.target.id })
    await closed
    await assert.rejects(c.query('select 1'))
  })
})
