// The query engine through the sim gate: paging, DML counts, notices, error positions, cancel,
// timeouts, bounded memory on a 1M-row result, exports, and history.
import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { adminQuery, type DbFixture, startDbFixture, uniqueName } from '../fixtures/db/db-fixture'
import { defined } from '../fixtures/defined'

let fx: DbFixture
const schema = uniqueName('it_query')
before(async () => {
  fx = await startDbFixture()
  await adminQuery(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id int primary key, label text)`)
})
after(async () => {
  await fx.close()
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
})

let n = 0
const qid = () => `q_${process.pid}_${++n}`

test('multiple statements: DML row counts, notices, a paged SELECT with fetchRows', async () => {
  const queryId = qid()
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    pageSize: 4,
    sql: `insert into ${schema}.t select g, 'row ' || g from generate_series(1, 10) g;
          do $$ begin raise notice 'hello; from plpgsql'; end $$;
          select id, label, id % 2 = 0 as even, '{"a":1}'::jsonb as j from ${schema}.t order by id`,
  })
  assert.equal(r.error, null)
  assert.equal(r.results.length, 3)
  assert.equal(r.results[0]?.command, 'INSERT')
  assert.equal(r.results[0]?.rowCount, 10)
  assert.equal(r.results[0]?.columns, null)
  assert.ok(r.notices.some((x) => x.includes('hello; from plpgsql')))
  const sel = defined(r.results[2], 'the third statement result')
  assert.deepEqual(
    sel.columns?.map((c) => [c.name, c.typeName, c.kind]),
    [
      ['id', 'int4', 'number'],
      ['label', 'text', 'text'],
      ['even', 'bool', 'bool'],
      ['j', 'jsonb', 'json'],
    ],
  )
  assert.deepEqual(sel.rows[0], ['1', 'row 1', 'false', '{\n  "a": 1\n}'])
  assert.equal(sel.rows.length, 4)
  assert.equal(sel.hasMore, true)
  const p2 = await fx.service.fetchRows(queryId, 2, 4)
  assert.deepEqual(
    p2.rows.map((row) => row[0]),
    ['5', '6', '7', '8'],
  )
  const p3 = await fx.service.fetchRows(queryId, 2, 4)
  assert.deepEqual(
    p3.rows.map((row) => row[0]),
    ['9', '10'],
  )
  assert.equal(p3.hasMore, false)
  assert.deepEqual(await fx.service.fetchRows(queryId, 2, 4), { rows: [], hasMore: false })
  await assert.rejects(fx.service.fetchRows(queryId, 7, 4), { code: 'NOT_FOUND' })
  assert.ok(fx.events.some((e) => e.queryId === queryId && e.kind === 'notice'))
  assert.ok(fx.events.some((e) => e.queryId === queryId && e.kind === 'finished'))
})

test('SQL errors carry sqlstate and a position into the whole script', async () => {
  const sql = 'select 1;\nselect nosuchcolumn from pg_class'
  const r = await fx.service.runQuery(fx.target, { queryId: qid(), sql, pageSize: 10 })
  assert.equal(r.results.length, 1)
  assert.equal(r.error?.code, 'SQL_ERROR')
  assert.equal(r.error?.sql?.sqlstate, '42703')
  assert.equal(r.error?.sql?.position, sql.indexOf('nosuchcolumn') + 1)
})

test('cancel stops a server-side pg_sleep(60) quickly', async () => {
  const queryId = qid()
  const started = Date.now()
  const running = fx.service.runQuery(fx.target, { queryId, sql: 'select pg_sleep(60)', pageSize: 10 })
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(await fx.service.cancelQuery(queryId), true)
  const r = await running
  assert.equal(r.error?.code, 'QUERY_CANCELLED')
  assert.equal(r.error?.sql?.sqlstate, '57014')
  // SQLSTATE 57014 already proves a server-side cancel; the time check only says it did not run to
  // completion, with room for a busy machine.
  assert.ok(Date.now() - started < 50_000, 'cancelled long before 60 s')
  assert.ok(fx.events.some((e) => e.queryId === queryId && e.kind === 'cancelled'))
})

test('a cancel that arrives while the connection is being made still stops the script', async () => {
  const queryId = qid()
  const running = fx.service.runQuery(fx.target, { queryId, sql: 'select pg_sleep(60)', pageSize: 10 })
  assert.equal(await fx.service.cancelQuery(queryId), true)
  const r = await running
  assert.equal(r.error?.code, 'QUERY_CANCELLED')
  assert.deepEqual(r.results, [])
})

test('statement_timeout ends a statement with TIMEOUT', async () => {
  const r = await fx.service.runQuery(fx.target, {
    queryId: qid(),
    sql: 'select pg_sleep(5)',
    pageSize: 10,
    statementTimeoutMs: 200,
  } as Parameters<typeof fx.service.runQuery>[1])
  assert.equal(r.error?.code, 'TIMEOUT')
})

test('a 1M-row result streams page by page without loading it all', async () => {
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const queryId = qid()
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    sql: "select g, repeat('x', 100) as pad from generate_series(1, 1000000) g",
    pageSize: 500,
  })
  assert.equal(r.error, null)
  assert.equal(r.results[0]?.rows.length, 500)
  assert.equal(r.results[0]?.hasMore, true)
  for (let i = 0; i < 5; i++) {
    const page = await fx.service.fetchRows(queryId, 0, 500)
    assert.equal(page.rows.length, 500)
    assert.equal(page.rows[0]?.[0], String(500 * (i + 1) + 1))
  }
  const grown = process.memoryUsage().heapUsed - heapBefore
  // 1M rows of ~110 bytes would be >100 MB as JS strings; six pages are a few hundred KB.
  assert.ok(grown < 64 * 1024 * 1024, `heap grew ${grown} bytes`)
  assert.equal(await fx.service.closeQuery(queryId), true)
})

test('a non-final SELECT stays pageable to its end (issue 10: no silent cut at one page)', async () => {
  const queryId = qid()
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    sql: 'select g from generate_series(1, 50) g; select 2 as two',
    pageSize: 10,
  })
  assert.equal(r.error, null)
  assert.equal(r.results[0]?.rows.length, 10)
  assert.equal(r.results[0]?.rowCount, 50)
  assert.equal(r.results[0]?.hasMore, true)
  assert.equal(r.results[0]?.truncated, false)
  assert.deepEqual(r.results[1]?.rows, [['2']])
  const seen = r.results[0]?.rows.map((row) => row[0])
  for (;;) {
    const page = await fx.service.fetchRows(queryId, 0, 15)
    seen.push(...page.rows.map((row) => row[0]))
    if (!page.hasMore) break
  }
  assert.deepEqual(
    seen,
    Array.from({ length: 50 }, (_, i) => String(i + 1)),
  )
  assert.equal(await fx.service.closeQuery(queryId), true)
})

test('a transaction left open by a script is rolled back before the connection is reused', async () => {
  const r = await fx.service.runQuery(fx.target, {
    queryId: qid(),
    sql: `begin; insert into ${schema}.t values (1000, 'uncommitted')`,
    pageSize: 10,
  })
  assert.equal(r.error, null)
  assert.ok(r.notices.some((x) => /rolled back/.test(x)))
  const check = await fx.service.runQuery(fx.target, {
    queryId: qid(),
    sql: `select count(*) from ${schema}.t where id = 1000`,
    pageSize: 10,
  })
  assert.deepEqual(check.results[0]?.rows, [['0']])
})

test('exports write the held result to a private file, CSV and JSON', async () => {
  const queryId = qid()
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    sql: `select id, label || ', "quoted"' as label from ${schema}.t where id <= 3 order by id;
          select g as n, g::int8 * 1000000000000 as big from generate_series(1, 2500) g`,
    pageSize: 100,
  })
  assert.equal(r.error, null)
  const csv = await fx.service.exportResult(fx.target, { queryId, resultIndex: 0, format: 'csv' })
  assert.equal(csv.rows, 3)
  assert.equal(csv.complete, true)
  assert.ok(csv.path?.startsWith(join(fx.dir, 'exports')))
  assert.equal(
    readFileSync(csv.path!, 'utf8'),
    'id,label\r\n1,"row 1, ""quoted"""\r\n2,"row 2, ""quoted"""\r\n3,"row 3, ""quoted"""\r\n',
  )
  const json = await fx.service.exportResult(fx.target, { queryId, resultIndex: 1, format: 'json' })
  assert.equal(json.rows, 2500)
  const parsed = JSON.parse(readFileSync(json.path!, 'utf8')) as Array<{ n: number; big: number }>
  assert.equal(parsed.length, 2500)
  assert.deepEqual(parsed[2499], { n: 2500, big: 2500000000000000 })
  // Issue 11 item 4: results may be sensitive, so only the user can read them.
  assert.equal(statSync(join(fx.dir, 'exports')).mode & 0o777, 0o700)
  assert.equal(statSync(json.path!).mode & 0o777, 0o600)
  await assert.rejects(fx.service.exportResult(fx.target, { queryId, resultIndex: 5, format: 'csv' }), {
    code: 'NOT_FOUND',
  })
})

test('history lists runs newest first with their outcome', () => {
  const h = fx.service.listHistory(fx.target.id)
  assert.ok(h.length >= 5)
  assert.ok(defined(h[0], 'newest entry').at >= defined(h.at(-1), 'oldest entry').at)
  assert.ok(h.some((x) => x.ok === false && x.sql.includes('nosuchcolumn')))
})
