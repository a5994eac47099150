// The gate's upstream: real PostgreSQL (database + role created idempotently under a race, demo seed
// loaded once) and the PGlite fallback, each reached through the RDS IAM gate as the demo role.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, describe, test } from 'node:test'
import pg from 'pg'
import { DEMO_ROW_COUNTS } from '../../sim/rds/demo-seed'
import { startRdsGate } from '../../sim/rds/rds-gate'
import { createTestCa } from '../../sim/rds/test-ca'
import { startUpstream, type Upstream } from '../../sim/rds/upstream'
import { signerToken } from '../fixtures/rds-tokens'

const RDS_HOST = 'upstream.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com'
const DB_USER = 'iam_reader'
const who = {
  arn: 'arn:aws:iam::1:user/u',
  accessKeyId: 'AKIAUPSTREAMTEST0001',
  secretAccessKey: 'u'.repeat(40),
}
const ADMIN_URL = process.env.PORTHOLE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Runs `fn` with a pg Client that reached `upstream` through a fresh gate, as the demo role. */
async function throughGate<T>(
  upstream: Upstream,
  database: string,
  fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const ca = await createTestCa()
  const gate = await startRdsGate({
    rdsHost: RDS_HOST,
    rdsPort: 5432,
    region: 'us-east-1',
    accountId: '123456789012',
    dbiResourceId: 'db-UPSTREAMTEST',
    tls: await ca.issueServerCert([RDS_HOST]),
    upstream,
    lookupPrincipal: (akid) => (akid === who.accessKeyId ? who : undefined),
  })
  const c = new pg.Client({
    host: '127.0.0.1',
    port: gate.port,
    user: DB_USER,
    database,
    ssl: { ca: ca.caPem, servername: RDS_HOST },
    password: () =>
      signerToken({
        hostname: RDS_HOST,
        port: 5432,
        username: DB_USER,
        region: 'us-east-1',
        credentials: who,
      }),
  })
  try {
    await c.connect()
    return await fn(c)
  } finally {
    await c.end().catch(() => {})
    await gate.close()
  }
}

async function rowCounts(c: pg.Client): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of Object.keys(DEMO_ROW_COUNTS))
    out[table] = Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)
  return out
}

describe('upstream: real PostgreSQL', () => {
  const database = `porthole_demo_t${process.pid}_${Date.now() % 100000}`
  after(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`)
    await admin.end()
  })

  test('two racing starts create the database, role and seed exactly once', async () => {
    const [a, b] = await Promise.all([
      startUpstream({ prefer: 'postgres', database, dbUser: DB_USER }),
      startUpstream({ prefer: 'postgres', database, dbUser: DB_USER }),
    ])
    assert.equal(a.kind, 'postgres')
    assert.equal(b.port, 5432)
    const again = await startUpstream({ prefer: 'auto', database, dbUser: DB_USER })
    assert.equal(again.kind, 'postgres')
    await Promise.all([a.close(), b.close(), again.close()])
    await throughGate(a, database, async (c) => {
      const who = await c.query('SELECT current_user AS u, current_database() AS d')
      assert.deepEqual(who.rows[0], { u: DB_USER, d: database })
      assert.deepEqual(await rowCounts(c), DEMO_ROW_COUNTS)
      assert.equal(Number((await c.query('SELECT count(*) AS n FROM public.demo_seed_info')).rows[0].n), 1)
    })
  })

  test('the demo role can read the views and write the tables; the data is deterministic', async () => {
    const upstream = await startUpstream({ prefer: 'postgres', database, dbUser: DB_USER })
    await throughGate(upstream, database, async (c) => {
      const totals = await c.query(
        'SELECT order_id, item_count, total::text AS total FROM order_totals WHERE order_id IN (1, 4999) ORDER BY 1',
      )
      assert.equal(totals.rows.length, 2)
      assert.equal(totals.rows[0].item_count, '3')
      const revenue = await c.query('SELECT count(*) AS days FROM analytics.daily_revenue')
      assert.ok(Number(revenue.rows[0].days) > 300)
      const types = await c.query(
        `SELECT external_id, created_at, profile, notes FROM customers WHERE id = 50`,
      )
      assert.match(types.rows[0].external_id, /^[0-9a-f-]{36}$/)
      assert.ok(types.rows[0].created_at instanceof Date)
      assert.ok(types.rows[0].notes.length > 1000, 'long text present')
      await c.query('BEGIN')
      const inserted = await c.query(
        "INSERT INTO customers (external_id, email, full_name, country, created_at) VALUES (md5('x')::uuid, 'new@example.com', 'New Person', 'US', now()) RETURNING id",
      )
      assert.equal(inserted.rows[0].id, '1001')
      await c.query('ROLLBACK')
      await assert.rejects(c.query('CREATE TABLE public.nope (x int)'), { code: '42501' })
    })
  })
})

describe('upstream: PGlite fallback', () => {
  test('auto falls back to PGlite when PostgreSQL is unreachable, seeded and reachable via the gate', async () => {
    // A port that was just free: nothing listens there.
    const probe = net.createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const deadPort = (probe.address() as net.AddressInfo).port
    await new Promise((r) => probe.close(r))
    const upstream = await startUpstream({
      prefer: 'auto',
      postgresUrl: `postgres://postgres@127.0.0.1:${deadPort}/x`,
    })
    try {
      assert.equal(upstream.kind, 'pglite')
      await throughGate(upstream, 'demo', async (c) => {
        assert.deepEqual(await rowCounts(c), DEMO_ROW_COUNTS)
        const view = await c.query('SELECT count(*) AS n FROM order_totals')
        assert.equal(Number(view.rows[0].n), 5000)
      })
    } finally {
      await upstream.close()
    }
  })
})
