// The first statement of a query that arrives while the prewarm connection starts up goes out right
// behind its IAM token (issue 16). Through the simulator's RDS gate and a real PostgreSQL: results
// and notices are whole, a refused login (stale credentials) means the statement never ran and the
// retry runs it exactly once, and a cancel that lands meanwhile undoes it.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { silentLogger } from '../../electron/base/logger'
import { createPoolRegistry, type TargetPools } from '../../electron/db/pool-registry'
import { createQueryRunner, type QueryRunner } from '../../electron/db/query-runner'
import { adminQuery, CREDS, type DbFixture, startDbFixture, uniqueName } from '../fixtures/db/db-fixture'

let fx: DbFixture
let stale = false
const forced: boolean[] = []
const table = uniqueName('first_stmt')
before(async () => {
  // Keys that are refused until a forced refresh while `stale` is on, like rotated credentials.
  fx = await startDbFixture({
    credentials: async (opts) => {
      forced.push(Boolean(opts?.forceRefresh))
      return stale && !opts?.forceRefresh ? { ...CREDS, secretAccessKey: 'rotated-away' } : CREDS
    },
  })
  await adminQuery(`CREATE TABLE public.${table} (n int)`)
})
after(async () => {
  await adminQuery(`DROP TABLE IF EXISTS public.${table}`)
  await fx.close()
})

/** A fresh pool pair on the gate, its prewarm started, and whether each lease came back early. */
function warmPools(): { pools: TargetPools; runner: QueryRunner; early: boolean[]; close(): Promise<void> } {
  const registry = createPoolRegistry({ logger: silentLogger, signerFor: () => fx.signer })
  const runner = createQueryRunner({ logger: silentLogger, spillDir: fx.dir })
  const pools = registry.get(fx.target, fx.gatePort)
  const early: boolean[] = []
  const lease = pools.lease
  pools.lease = async () => {
    const l = await lease()
    early.push(l.connected !== null)
    return l
  }
  pools.warm().catch(() => undefined) // a refused warm-up is the query's to retry
  return { pools, runner, early, close: () => registry.closeAll() }
}

/** Rows in the test table, read straight from PostgreSQL. */
async function rows(): Promise<number> {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' })
  await client.connect()
  try {
    const r = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.${table}`)
    return Number(r.rows[0]!.n)
  } finally {
    await client.end()
  }
}

test('a script sent behind the token returns every result and notice on one connection', async () => {
  const w = warmPools()
  const before = fx.tokens.length
  const r = await w.runner.runQuery(w.pools, {
    queryId: 'q-first-1',
    sql: `DO $$ BEGIN RAISE NOTICE 'early bird'; END $$; select 41 + 1 as answer; select 'two'`,
    pageSize: 10,
  })
  assert.deepEqual(w.early, [true], 'the query took the connection that was still starting up')
  assert.equal(r.error, null)
  assert.deepEqual(
    r.results.map((s) => s.rows),
    [[], [['42']], [['two']]],
  )
  assert.ok(
    r.notices.some((n) => /early bird/.test(n)),
    `the first statement's notice: ${r.notices.join(' | ')}`,
  )
  assert.equal(fx.tokens.length - before, 1, 'one connection, one token')
  await w.runner.closeQuery('q-first-1')
  await w.close()
})

test('a refused login means the early statement never ran; the retry runs it exactly once', async () => {
  stale = true
  forced.length = 0
  const w = warmPools()
  try {
    const r = await w.runner.runQuery(w.pools, {
      queryId: 'q-first-2',
      sql: `insert into public.${table} values (1)`,
      pageSize: 10,
    })
    assert.deepEqual(w.early, [true])
    assert.equal(r.error, null)
    assert.deepEqual(forced, [false, true], 'the first token was refused, the retry used fresh credentials')
    assert.equal(await rows(), 1, 'inserted once: not lost with the refused login, not run twice')
    await w.runner.closeQuery('q-first-2')
  } finally {
    stale = false
    await w.close()
  }
})

test('a cancel that lands while the early statement is on its way undoes it', async () => {
  await adminQuery(`TRUNCATE public.${table}`)
  const w = warmPools()
  const running = w.runner.runQuery(w.pools, {
    queryId: 'q-first-3',
    sql: `insert into public.${table} values (2)`,
    pageSize: 10,
  })
  assert.equal(await w.runner.cancelQuery('q-first-3'), true, 'the query was still starting')
  const r = await running
  assert.deepEqual(w.early, [true])
  assert.equal(r.error?.code, 'QUERY_CANCELLED')
  assert.deepEqual(r.notices, [], 'rolled back on purpose, not as a transaction the script left open')
  assert.equal(await rows(), 0, 'our BEGIN wrapped it and was rolled back')
  await w.runner.closeQuery('q-first-3')
  await w.close()
})
