// Connections through the sim RDS IAM gate: a fresh token per physical connection, new
// connections after the first token expired, TLS verify-full with the sim CA and the RDS name.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, mock, test } from 'node:test'
import pg from 'pg'
import { type DbFixture, RDS_HOST, startDbFixture } from '../fixtures/db/db-fixture'
import { defined } from '../fixtures/defined'

let fx: DbFixture
before(async () => {
  fx = await startDbFixture()
})
after(async () => {
  await fx.close()
})

const run = (sql: string, queryId = `q_${Math.random().toString(36).slice(2)}`) =>
  fx.service.runQuery(fx.target, { queryId, sql, pageSize: 100 })

test('each new pooled connection signs its own token, bound to the RDS endpoint', async () => {
  const before = fx.tokens.length
  const started = Date.now()
  // Three overlapping scripts need three physical connections in the query pool.
  const results = await Promise.all([1, 2, 3].map(() => run('select pg_sleep(0.3)::text, current_user')))
  for (const r of results) assert.equal(r.error, null)
  const minted = fx.tokens.slice(before)
  assert.equal(minted.length, 3, 'one signing per physical connection')
  for (const t of minted) {
    assert.ok(t.token.startsWith(`${RDS_HOST}:5432/?Action=connect&`))
    assert.ok(t.issuedAt >= started, 'signed when the connection was opened, not earlier')
  }
  assert.equal(results[0]?.results[0]?.rows[0]?.[1], 'postgres')
  // SigV4 is deterministic per second: a connection opened later carries a different token.
  await new Promise((r) => setTimeout(r, 1100))
  await fx.service.closeTarget(fx.target.id)
  assert.equal((await run('select 1')).error, null)
  const later = defined(fx.tokens.at(-1), 'a token for the later connection')
  assert.ok(!minted.some((t) => t.token === later.token))
})

test('the gate really checks tokens: a garbage password is refused with 28000', async () => {
  const c = new pg.Client({
    host: '127.0.0.1',
    port: fx.gatePort,
    user: 'postgres',
    database: 'test',
    password: `${RDS_HOST}:5432/?Action=connect&DBUser=postgres&X-Amz-Signature=00`,
    ssl: {
      ca: [readFileSync(fx.caFile, 'utf8')],
      servername: RDS_HOST,
    },
  })
  c.on('error', () => {})
  await assert.rejects(c.connect(), (err: { code?: string; message: string }) => {
    assert.equal(err.code, '28000')
    assert.match(err.message, /PAM authentication failed/)
    return true
  })
})

test('a connection opened after the first token expired still succeeds with a fresh token', async () => {
  await fx.service.closeTarget(fx.target.id)
  assert.equal((await run('select 1')).error, null)
  const first = defined(fx.tokens.at(-1), 'the token of the first connection')
  // Move every clock (signer, gate) 20 minutes ahead: the first token is now stale.
  mock.timers.enable({ apis: ['Date'], now: Date.now() + 20 * 60_000 })
  try {
    const stale = new pg.Client({
      host: '127.0.0.1',
      port: fx.gatePort,
      user: 'postgres',
      database: 'test',
      password: first.token,
      ssl: {
        ca: [readFileSync(fx.caFile, 'utf8')],
        servername: RDS_HOST,
      },
    })
    stale.on('error', () => {})
    await assert.rejects(stale.connect(), { code: '28000' }, 'the gate rejects the expired token')
    await fx.service.closeTarget(fx.target.id) // force a new physical connection
    const r = await run('select 42 as answer')
    assert.equal(r.error, null)
    assert.deepEqual(r.results[0]?.rows, [['42']])
    assert.notEqual(fx.tokens[fx.tokens.length - 1]?.token, first.token)
  } finally {
    mock.timers.reset()
  }
})

test('TLS fails with a CA that did not sign the server certificate', async () => {
  const target = { ...fx.target, id: 't_wrongca0001' as typeof fx.target.id, caFile: fx.otherCaFile }
  await assert.rejects(fx.service.listSchema(target), (err: { code: string; message: string }) => {
    assert.equal(err.code, 'TLS_FAILED')
    return true
  })
})

test('without a caFile the Amazon RDS bundle is trusted, which does not include the sim CA', async () => {
  const target = { ...fx.target, id: 't_rdsbundle01' as typeof fx.target.id, caFile: undefined }
  await assert.rejects(fx.service.listSchema(target), (err: { code: string; message: string }) => {
    assert.equal(err.code, 'TLS_FAILED')
    assert.match(err.message, /unable to verify|self.signed|certificate/i)
    return true
  })
})

test('closeTarget releases an open cursor and its pool', async () => {
  const queryId = 'q_close_target'
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    sql: 'select g from generate_series(1, 1000) g',
    pageSize: 10,
  })
  assert.equal(r.results[0]?.hasMore, true)
  await fx.service.closeTarget(fx.target.id)
  // The cursor is gone: nothing more is read from the server. What was received stays held (an
  // export can still write it, issue 10), so paging on ends instead of failing.
  const after = await fx.service.fetchRows(queryId, 0, 10)
  assert.equal(after.hasMore, false)
  assert.ok(after.rows.length <= 10, `only rows already received come back (got ${after.rows.length})`)
  await fx.service.closeQuery(queryId)
  await assert.rejects(fx.service.fetchRows(queryId, 0, 10), { code: 'NOT_FOUND' })
  assert.equal((await run('select 1')).error, null, 'the next use opens a fresh pool')
})

test('TLS fails when the certificate does not name the endpoint (wrong servername)', async () => {
  const target = {
    ...fx.target,
    id: 't_wronghost01' as typeof fx.target.id,
    rdsHost: 'other-db.c9akciq32.us-east-1.rds.amazonaws.com',
  }
  await assert.rejects(fx.service.listSchema(target), (err: { code: string; message: string }) => {
    assert.equal(err.code, 'TLS_FAILED')
    assert.match(err.message, /other-db/)
    return true
  })
})

test('the pg servername pitfall: host "localhost" overrides servername and fails verification', async () => {
  const c = new pg.Client({
    host: 'localhost',
    port: fx.gatePort,
    user: 'postgres',
    database: 'test',
    password: 'x',
    ssl: { ca: [readFileSync(fx.caFile, 'utf8')], servername: RDS_HOST, rejectUnauthorized: true },
  })
  c.on('error', () => {})
  await assert.rejects(c.connect(), /altnames/)
})

test('no token appears in the logs', () => {
  const all = fx.logs.map((l) => l.message).join('\n')
  for (const t of fx.tokens)
    assert.ok(!all.includes(t.token.split('X-Amz-Signature=')[1]?.slice(0, 64) ?? '@@'))
})
