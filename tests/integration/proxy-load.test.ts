// Issue 17: load through the proxy. pgbench with 20 clients (short run here; the 30 s run is in
// bench/proxy.ts) ends with 0 failed transactions, and many concurrent node-postgres clients each
// run 50 queries with 0 errors. Both need a real PostgreSQL behind the simulator.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { connectClient, type ProxyFixture, runFile, startProxyFixture } from '../fixtures/proxy-fixture'

let fx: ProxyFixture
before(async () => {
  fx = await startProxyFixture()
})
after(async () => {
  await fx?.close()
})

/**
 * The IAM role may not create tables in public (as on RDS, a DBA does that): make pgbench's tables
 * straight on the simulator's PostgreSQL as its superuser and grant them to the role. Server-side
 * generation (G) so no rows cross a network.
 */
async function initPgbenchTables(): Promise<void> {
  const db = fx.te.sim()?.databases[0] ?? assert.fail('simulator not started')
  const url = new URL(process.env.PORTHOLE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  url.pathname = `/${db.database}`
  await runFile('/usr/bin/pgbench', ['-i', '-q', '-s', '1', '-I', 'dtGvp', url.toString()], {
    env: { PATH: process.env.PATH },
  })
  const admin = new pg.Client({ connectionString: url.toString() })
  await admin.connect()
  try {
    const role = pg.Client.prototype.escapeIdentifier(db.dbUser)
    await admin.query(
      `grant select, insert, update, delete on pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history to ${role}`,
    )
  } finally {
    await admin.end()
  }
}

const conn = () => [
  '-h',
  '127.0.0.1',
  '-p',
  String(fx.status.port),
  '-U',
  fx.target.dbUser,
  fx.target.database,
]

test('pgbench: 20 clients through the proxy, 0 failed transactions', async (t) => {
  if (!fx.realPostgres()) return t.skip('needs a real PostgreSQL upstream (PGlite serves at most 8 sessions)')
  if (!existsSync('/usr/bin/pgbench'))
    return t.skip('pgbench is not installed (Debian: postgresql or postgresql-contrib)')
  const opts = { env: fx.psqlEnv, maxBuffer: 16 * 1024 * 1024 }
  await initPgbenchTables()
  const { stdout } = await runFile(
    '/usr/bin/pgbench',
    // A fixed number of transactions per client, not a duration: on a busy machine a 5 s run can
    // spend all of it connecting (fresh token + TLS per client) and prove nothing.
    ['-n', '-c', '20', '-j', '2', '-t', '25', ...conn()],
    opts,
  )
  const failed = /number of failed transactions: (\d+)/.exec(stdout)
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout)
  assert.ok(processed, stdout)
  assert.equal(Number(processed[1]), 20 * 25, 'every client ran all its transactions')
  assert.equal(failed?.[1] ?? '0', '0', stdout)
  t.diagnostic(
    stdout
      .split('\n')
      .filter((l) => /tps|processed|failed|latency average/.test(l))
      .join(' | '),
  )
})

test('concurrent clients × 50 queries each: 0 errors', async (t) => {
  if (!fx.realPostgres()) return t.skip('needs a real PostgreSQL upstream (PGlite serves at most 8 sessions)')
  // Each proxy client is its own upstream session, so the server's free connection slots bound the
  // count: 200 when the server allows it, fewer (said below) on a shared server with max_connections 100.
  const probe = await connectClient(fx.pgConfig())
  const room = await probe.query(
    "select current_setting('max_connections')::int - (select count(*) from pg_stat_activity)::int as free",
  )
  await probe.end()
  const free = Number(room.rows[0].free) - 15
  const n = Math.min(200, free)
  if (n < 200)
    t.diagnostic(
      `the server has ${free} free connection slots: running ${n} concurrent clients, not 200 (raise max_connections for the full run; bench/proxy.ts runs 200)`,
    )
  assert.ok(n >= 10, `too few free connection slots on the server (${free})`)
  let errors = 0
  let queries = 0
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const c = new pg.Client(fx.pgConfig({ application_name: `load-${i}` }))
      c.on('error', () => {})
      try {
        await c.connect()
        for (let q = 0; q < 50; q++) {
          const r = await c.query('select $1::int * 2 as v', [q])
          if (r.rows[0].v !== q * 2) errors++
          queries++
        }
      } catch (err) {
        errors++
        t.diagnostic(`client ${i}: ${(err as Error).message}`)
      } finally {
        await c.end().catch(() => {})
      }
    }),
  )
  assert.equal(errors, 0)
  assert.equal(queries, n * 50)
})
