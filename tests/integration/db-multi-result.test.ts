// Issue 10: an earlier statement of a script is read to its end up to the engine's cap; past it
// the result is marked `truncated` (never silently cut), says so in the notices, and an export of
// it writes what is held with a note. Statements that refuse a transaction block still run.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { adminQuery, type DbFixture, startDbFixture, uniqueName } from '../fixtures/db/db-fixture'

let fx: DbFixture
const schema = uniqueName('it_multi')
before(async () => {
  fx = await startDbFixture({ materialiseCap: 30 })
  await adminQuery(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id int)`)
})
after(async () => {
  await fx.close()
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
})

/** Rows of the table as another session sees them (committed data only). */
async function committedRows(): Promise<number> {
  const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' })
  await c.connect()
  try {
    return Number((await c.query(`select count(*) as n from ${schema}.t`)).rows[0].n)
  } finally {
    await c.end()
  }
}

let n = 0
const qid = () => `q_multi_${process.pid}_${++n}`

test('a non-final result past the cap is marked truncated, named in the notices, exported with a note', async () => {
  const queryId = qid()
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    sql: 'select g from generate_series(1, 100) g; select 2 as two',
    pageSize: 10,
  })
  assert.equal(r.error, null)
  const first = r.results[0]!
  assert.equal(first.truncated, true)
  assert.equal(first.rowCount, 30)
  assert.ok(r.notices.some((x) => /Statement 1 returned more than 30 rows/.test(x)))
  assert.deepEqual(r.results[1]!.rows, [['2']])
  const out = await fx.service.exportResult(fx.target, { queryId, resultIndex: 0, format: 'csv' })
  assert.equal(out.rows, 30)
  assert.equal(out.complete, false)
  assert.match(out.note ?? '', /run the statement alone/)
  assert.equal(readFileSync(out.path!, 'utf8').split('\r\n').filter(Boolean).length, 31)
})

test('the final statement keeps its cursor: no cap, pageable to its end', async () => {
  const queryId = qid()
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    sql: 'select 1; select g from generate_series(1, 100) g',
    pageSize: 40,
  })
  assert.notEqual(r.results[1]!.truncated, true)
  let total = r.results[1]!.rows.length
  for (let more = r.results[1]!.hasMore; more; ) {
    const page = await fx.service.fetchRows(queryId, 1, 40)
    total += page.rows.length
    more = page.hasMore
  }
  assert.equal(total, 100)
})

test('statements that refuse a transaction block (VACUUM, CREATE INDEX CONCURRENTLY) still run', async () => {
  const r = await fx.service.runQuery(fx.target, {
    queryId: qid(),
    sql: 'create temp table vac_probe (id int); vacuum vac_probe; select 1 as after',
    pageSize: 10,
  })
  assert.equal(r.error, null, r.error?.message)
  assert.equal(r.results[1]!.command, 'VACUUM')
  assert.deepEqual(r.results[2]!.rows, [['1']])
})

test('user transactions keep their meaning: a rolled-back insert leaves nothing', async () => {
  const r = await fx.service.runQuery(fx.target, {
    queryId: qid(),
    sql: `create temp table tx_probe (id int);
          begin; insert into tx_probe values (1); rollback;
          select count(*) from tx_probe`,
    pageSize: 10,
  })
  assert.equal(r.error, null, r.error?.message)
  assert.deepEqual(r.results.at(-1)!.rows, [['0']])
})

test('a failing statement inside the wrapper rolls back; the next run on the pool works', async () => {
  const bad = await fx.service.runQuery(fx.target, { queryId: qid(), sql: 'select 1/0', pageSize: 10 })
  assert.equal(bad.error?.sql?.sqlstate, '22012')
  const good = await fx.service.runQuery(fx.target, { queryId: qid(), sql: 'select 42', pageSize: 10 })
  assert.equal(good.error, null)
  assert.deepEqual(good.results[0]!.rows, [['42']])
})

test('insert … returning with more rows than a page commits at once, never re-runnable from the UI', async () => {
  const queryId = qid()
  const r = await fx.service.runQuery(fx.target, {
    queryId,
    sql: `insert into ${schema}.t select g from generate_series(1, 100) g returning id`,
    pageSize: 10,
  })
  assert.equal(r.error, null)
  const res = r.results[0]!
  assert.equal(res.changedData, true)
  // Committed now, not when the user stops paging (a disconnect would otherwise roll it back).
  assert.equal(await committedRows(), 100)
  assert.equal(res.truncated, true, 'past the cap of 30 the rest is not held')
  assert.ok(r.notices.some((x) => /changed data .* committed/.test(x)))
  const small = await fx.service.runQuery(fx.target, {
    queryId: qid(),
    sql: `insert into ${schema}.t select g from generate_series(1, 20) g returning id`,
    pageSize: 10,
  })
  assert.equal(small.results[0]!.truncated, false)
  assert.equal(small.results[0]!.rowCount, 20)
  assert.equal(await committedRows(), 120)
})
