// Issue 10 (data safety) and issue 11 items 1 and 4, through the whole engine and the contract's
// dispatcher against the demo simulator: an export writes the held result and never runs SQL again,
// every result of a multi-statement run pages to its end, notices reach the result, the demo's
// prefilled SQL runs, and Disconnect can ask what it would end.
import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createDispatcher, type Dispatch } from '../../electron/ipc/dispatcher'
import type { MethodInput, MethodName, MethodOutput } from '../../shared/ipc/contract'
import { STARTER_SQL } from '../../shared/starter-sql'
import type { Target } from '../../shared/target-schema'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { waitFor } from '../fixtures/wait-for'

let te: TestEngine
let call: Dispatch
let demo: Target
let n = 0
const qid = () => `q_safety_${process.pid}_${++n}`

const ok = async <M extends MethodName>(method: M, arg?: MethodInput<M>): Promise<MethodOutput<M>> => {
  const env = await call(method, arg)
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`)
  return env.result as MethodOutput<M>
}
const run = (sql: string, pageSize = 500, queryId = qid()) =>
  ok('runQuery', { targetId: demo.id, queryId, sql, pageSize })
const pageToEnd = async (queryId: string, resultIndex: number, first: (string | null)[][]) => {
  const rows = [...first]
  for (;;) {
    const page = await ok('fetchRows', { queryId, resultIndex, count: 700 })
    rows.push(...page.rows)
    if (!page.hasMore) return rows
  }
}
const csvLines = (path: string) => readFileSync(path, 'utf8').split('\r\n').filter(Boolean)

before(async () => {
  te = await startTestEngine()
  call = createDispatcher(te.engine.handlers)
  demo = await ok('createDemoTarget')
  await ok('connectTarget', { targetId: demo.id })
})

after(() => te.close())

test('exporting the result of insert … returning inserts nothing and writes the returned rows', async () => {
  // A temp table keeps the shared demo data untouched; the pool hands the same idle connection back.
  const queryId = qid()
  const r = await run(
    `create temp table if not exists probe (id serial primary key, v float8);
     insert into probe (v) select random() from generate_series(1, 3) returning id, v`,
    500,
    queryId,
  )
  assert.equal(r.error, null)
  const grid = r.results[1]!.rows
  assert.equal(grid.length, 3)
  const out = await ok('exportResult', { targetId: demo.id, queryId, resultIndex: 1, format: 'csv' })
  assert.equal(out.complete, true)
  assert.deepEqual(csvLines(out.path!), ['id,v', ...grid.map((row) => row.join(','))])
  const count = await run('select count(*) from pg_temp.probe')
  assert.equal(count.error, null)
  assert.deepEqual(count.results[0]!.rows, [['3']], 'the export ran no SQL: still 3 rows')
})

test('exporting select random() writes the values the grid shows, then the rest of its cursor', async () => {
  const queryId = qid()
  const r = await run('select g, random() as r from generate_series(1, 1200) g', 500, queryId)
  const first = r.results[0]!
  assert.equal(first.hasMore, true)
  const second = await ok('fetchRows', { queryId, resultIndex: 0, count: 500 })
  const shown = [...first.rows, ...second.rows]
  const out = await ok('exportResult', { targetId: demo.id, queryId, resultIndex: 0, format: 'json' })
  assert.equal(out.rows, 1200)
  const file = JSON.parse(readFileSync(out.path!, 'utf8')) as Array<{ g: number; r: number }>
  assert.deepEqual(
    file.slice(0, 1000).map((o) => [String(o.g), String(o.r)]),
    shown.map((row) => [row[0], String(Number(row[1]))]),
  )
  // The grid still pages on, and gets the very rows the export read ahead.
  const rest = await pageToEnd(queryId, 0, [])
  assert.deepEqual(
    rest.map((row) => row[0]),
    file.slice(1000).map((o) => String(o.g)),
  )
})

test('exports land in a private folder (0700) as private files (0600); the renderer names no path', async () => {
  const queryId = qid()
  await run('select 1 as one', 10, queryId)
  const out = await ok('exportResult', { targetId: demo.id, queryId, resultIndex: 0, format: 'csv' })
  assert.equal(join(out.path!, '..'), join(te.dir, 'exports'))
  assert.equal(statSync(join(te.dir, 'exports')).mode & 0o777, 0o700)
  assert.equal(statSync(out.path!).mode & 0o777, 0o600)
  const withPath = await call('exportResult', {
    targetId: demo.id,
    queryId,
    resultIndex: 0,
    format: 'csv',
    path: join(te.dir, 'evil.csv'),
  } as MethodInput<'exportResult'>)
  assert.equal(withPath.ok, false)
  assert.equal(!withPath.ok && withPath.error.code, 'VALIDATION')
  const withSql = await call('exportResult', {
    targetId: demo.id,
    sql: 'select 1',
    format: 'csv',
  } as unknown as MethodInput<'exportResult'>)
  assert.equal(!withSql.ok && withSql.error.code, 'VALIDATION')
})

test('select * from orders; select 1: the first result pages to all 5,000 rows and exports them', async () => {
  const queryId = qid()
  const r = await run('select * from orders order by id; select 1', 500, queryId)
  assert.equal(r.error, null)
  const orders = r.results[0]!
  assert.equal(orders.rows.length, 500)
  assert.equal(orders.rowCount, 5000)
  assert.equal(orders.hasMore, true)
  assert.notEqual(orders.truncated, true)
  assert.deepEqual(r.results[1]!.rows, [['1']])
  const all = await pageToEnd(queryId, 0, orders.rows)
  assert.equal(all.length, 5000)
  assert.equal(new Set(all.map((row) => row[0])).size, 5000)
  const out = await ok('exportResult', { targetId: demo.id, queryId, resultIndex: 0, format: 'csv' })
  assert.equal(out.rows, 5000)
})

test('server notices and warnings come back with the result', async () => {
  const r = await run(
    "do $$ begin raise notice 'from plpgsql'; raise warning 'careful now'; end $$; select 1 as one",
  )
  assert.equal(r.error, null)
  assert.ok(r.notices.some((x) => x === 'NOTICE: from plpgsql'))
  assert.ok(r.notices.some((x) => x === 'WARNING: careful now'))
})

test("the console's prefilled demo SQL runs", async () => {
  const r = await run(STARTER_SQL)
  assert.equal(r.error, null, r.error?.message)
  assert.equal(r.results.length, 2)
  assert.equal(r.results[1]!.hasMore, true)
})

test('SQL errors carry the SQLSTATE and position, the hint once', async () => {
  const r = await run('select nosuch from orders')
  assert.equal(r.error?.sql?.sqlstate, '42703')
  assert.equal(r.error?.sql?.position, 8)
  assert.equal(r.error?.hint, undefined)
})

test('activity reports a running query; an export after the tunnel closed writes what is held and says so', async () => {
  const sleeper = qid()
  const sleeping = run('select pg_sleep(30)', 10, sleeper)
  let activity = await ok('getTargetActivity', { targetId: demo.id })
  // Wait for the state (the query running), with a stall bound rather than 100 × 50 ms.
  await waitFor(
    async () => {
      activity = await ok('getTargetActivity', { targetId: demo.id })
      return activity.runningQueries > 0
    },
    { what: 'the sleeping query to show as running', everyMs: 50 },
  )
  assert.equal(activity.runningQueries, 1)
  assert.ok(activity.connections >= 1)
  await ok('cancelQuery', { queryId: sleeper })
  await sleeping
  const openBefore = (await ok('getTargetActivity', { targetId: demo.id })).openResults
  const queryId = qid()
  const r = await run('select g from generate_series(1, 100000) g', 100, queryId)
  assert.equal(r.results[0]!.hasMore, true)
  assert.equal((await ok('getTargetActivity', { targetId: demo.id })).openResults, openBefore + 1)
  await ok('disconnectTarget', { targetId: demo.id })
  const out = await ok('exportResult', { targetId: demo.id, queryId, resultIndex: 0, format: 'csv' })
  assert.equal(out.complete, false)
  assert.equal(out.rows, 100)
  assert.match(out.note ?? '', /could not be fetched/)
  assert.equal(csvLines(out.path!).length, 101)
  await ok('connectTarget', { targetId: demo.id })
})
