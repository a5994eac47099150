// Issue 17: the proxy relays the whole protocol after login: \copy both ways byte-exact, LISTEN/
// NOTIFY, extended-protocol prepared statements from node-postgres, and cancel (psql's Ctrl-C and
// a raw CancelRequest with the proxy's key) reaching the database through the tunnel.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type pg from 'pg'
import { connectClient, type ProxyFixture, psql, startProxyFixture } from '../fixtures/proxy-fixture'

let fx: ProxyFixture
before(async () => {
  fx = await startProxyFixture()
})
after(async () => {
  await fx?.close()
})

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

/** Polls `check` until it returns a value (no wall-clock assertion, a stall limit only). */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check()
    if (v !== undefined) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`gave up waiting for ${what}`)
}

test('\\copy in and out through the proxy is byte-exact (a few MB)', async () => {
  // Rows of random base64 text: COPY text format round-trips them unchanged.
  const lines: string[] = []
  for (let i = 0; i < 30_000; i++) lines.push(`${i}\t${randomBytes(72).toString('base64')}`)
  const source = `${lines.join('\n')}\n`
  const input = join(fx.te.dir, 'copy-in.tsv')
  const output = join(fx.te.dir, 'copy-out.tsv')
  await writeFile(input, source)
  await psql(fx.psqlEnv, [
    fx.tcp,
    '-c',
    'create temp table blob (n int primary key, t text)',
    '-c',
    `\\copy blob from '${input}'`,
    '-c',
    `\\copy (select * from blob order by n) to '${output}'`,
  ])
  const back = await readFile(output)
  assert.ok(back.length > 3_000_000, `copied ${back.length} bytes`)
  assert.equal(sha(back), sha(source))
})

test('LISTEN/NOTIFY between two proxy clients', async () => {
  const listener = await connectClient(fx.pgConfig())
  const notifier = await connectClient(fx.pgConfig())
  try {
    const got = new Promise<pg.Notification>((resolve) => listener.on('notification', resolve))
    await listener.query('listen porthole_proxy')
    await notifier.query("select pg_notify('porthole_proxy', 'through the proxy')")
    const n = await got
    assert.equal(n.channel, 'porthole_proxy')
    assert.equal(n.payload, 'through the proxy')
  } finally {
    await Promise.all([listener.end(), notifier.end()])
  }
})

test('extended protocol: named prepared statements with parameters, reused', async () => {
  const c = await connectClient(fx.pgConfig())
  try {
    for (let i = 0; i < 20; i++) {
      const r = await c.query({
        name: 'sum2',
        text: 'select $1::int + $2::int as s, $3::text as t',
        values: [i, 2, `v${i}`],
      })
      assert.deepEqual(r.rows[0], { s: i + 2, t: `v${i}` })
    }
    const bin = await c.query({ text: 'select $1::bytea as b', values: [Buffer.from([0, 1, 2, 255])] })
    assert.deepEqual([...(bin.rows[0].b as Buffer)], [0, 1, 2, 255])
  } finally {
    await c.end()
  }
})

test("psql's Ctrl-C (SIGINT) cancels select pg_sleep(30) through the proxy", async (t) => {
  if (!fx.realPostgres()) return t.skip('needs a real PostgreSQL upstream (PGlite ignores cancel)')
  // VERBOSITY=verbose makes psql print the SQLSTATE with the message.
  const child = spawn(
    '/usr/bin/psql',
    ['-X', '-v', 'VERBOSITY=verbose', fx.tcp, '-c', 'select pg_sleep(30) /* ctrl-c probe */'],
    { env: fx.psqlEnv },
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const watcher = await connectClient(fx.pgConfig())
  try {
    await waitFor('the sleep to run', async () => {
      const r = await watcher.query(
        "select 1 from pg_stat_activity where state = 'active' and query like '%ctrl-c probe%' and pid <> pg_backend_pid()",
      )
      return r.rowCount ? true : undefined
    })
    const sentAt = Date.now()
    child.kill('SIGINT')
    const code = await exited
    const took = Date.now() - sentAt
    assert.notEqual(code, 0)
    // 57014 is the server's own query_canceled: the sleep was cut short by the cancel, not timed out
    // or killed, so it ended long before its 30 s. How fast: bench/proxy.ts (proxy-cancel).
    assert.match(stderr, /57014: canceling statement due to user request/)
    t.diagnostic(`SIGINT → psql exit: ${took} ms`)
  } finally {
    child.kill('SIGKILL')
    await watcher.end()
  }
})

test('a raw CancelRequest with the proxy key cancels; a wrong key does nothing', async (t) => {
  if (!fx.realPostgres()) return t.skip('needs a real PostgreSQL upstream (PGlite ignores cancel)')
  const c = (await connectClient(fx.pgConfig())) as pg.Client & { processID: number; secretKey: number }
  const sendCancel = (pid: number, key: number) =>
    new Promise<void>((resolve, reject) => {
      const s = net.connect(fx.status.port ?? 0, '127.0.0.1', () => {
        const b = Buffer.alloc(16)
        b.writeUInt32BE(16, 0)
        b.writeUInt32BE(80877102, 4)
        b.writeUInt32BE(pid >>> 0, 8)
        b.writeInt32BE(key, 12)
        s.end(b)
      })
      s.on('close', () => resolve())
      s.on('error', reject)
    })
  try {
    const sleeping = c.query('select pg_sleep(30)').then(
      () => 'finished',
      (err: Error & { code?: string }) => err.code,
    )
    const watcher = await connectClient(fx.pgConfig())
    await waitFor('the sleep to run', async () => {
      const r = await watcher.query(
        "select 1 from pg_stat_activity where state = 'active' and query = 'select pg_sleep(30)'",
      )
      return r.rowCount ? true : undefined
    })
    await sendCancel(c.processID, c.secretKey ^ 1) // wrong key: must be ignored
    await new Promise((r) => setTimeout(r, 500))
    const still = await watcher.query(
      "select 1 from pg_stat_activity where state = 'active' and query = 'select pg_sleep(30)'",
    )
    assert.equal(still.rowCount, 1, 'a wrong key cancelled nothing')
    await sendCancel(c.processID, c.secretKey)
    assert.equal(await sleeping, '57014')
    assert.equal((await c.query('select 1 as n')).rows[0].n, 1, 'the session survives its cancel')
    await watcher.end()
  } finally {
    await c.end()
  }
})
