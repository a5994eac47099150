// MySQL end to end through the app engine: the MySQL demo target, a native SSM tunnel from the
// simulator, TLS verified for the RDS name, a fresh IAM token per connection, and the real MariaDB
// behind the simulator's MySQL gate. Browse, query (multiple results, paging a 1M-row result with
// bounded memory), cancel with KILL QUERY, export. Skips with a message without MariaDB/MySQL.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { createDispatcher, type Dispatch } from '../../electron/ipc/dispatcher'
import { DEMO_MYSQL } from '../../shared/demo'
import type { MethodInput, MethodName, MethodOutput } from '../../shared/ipc/contract'
import type { QueryEvent } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { mysqlSkipReason } from './mysql-support'

const skip = (await mysqlSkipReason()) || false
let te: TestEngine
let call: Dispatch
let target: Target
const events: QueryEvent[] = []
let n = 0
const qid = () => `mq_${process.pid}_${++n}`

const ok = async <M extends MethodName>(method: M, arg?: MethodInput<M>): Promise<MethodOutput<M>> => {
  const env = await call(method, arg)
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`)
  return env.result as MethodOutput<M>
}

before(async () => {
  if (skip) return
  te = await startTestEngine()
  te.engine.bus.on('onQueryEvent', (e) => events.push(e))
  call = createDispatcher(te.engine.handlers)
  await ok('createDemoTarget')
  const found = (await ok('listTargets')).find((t) => t.name === DEMO_MYSQL.targetName)
  assert.ok(found, 'the MySQL demo target is added when MariaDB runs')
  target = found
})

after(async () => {
  await te?.close()
})

describe('MySQL targets through the tunnel', { skip }, () => {
  test('connect opens a tunnel; the first query lands on MariaDB as the IAM user over TLS', async () => {
    const status = await ok('connectTarget', { targetId: target.id })
    assert.equal(status.state, 'open')
    const r = await ok('runQuery', {
      targetId: target.id,
      queryId: qid(),
      sql: "SELECT CURRENT_USER() AS u, DATABASE() AS d, @@version LIKE '%MariaDB%' AS maria",
      pageSize: 10,
    })
    assert.equal(r.error, null)
    assert.deepEqual(r.results[0]?.rows, [[`${DEMO_MYSQL.dbUser}@%`, 'demo', '1']])
    const after = (await ok('listTunnels')).find((s) => s.targetId === target.id)
    assert.ok(after?.tokenIssuedAt, 'a token was minted for the connection')
  })

  test('the browser lists databases as schemas, with columns, keys, indexes and DDL', async () => {
    const tree = await ok('listSchema', { targetId: target.id })
    const demo = tree.schemas.find((s) => s.name === 'demo')
    assert.ok(demo)
    assert.ok(tree.schemas.some((s) => s.name === 'demo_analytics'))
    assert.ok(!tree.schemas.some((s) => s.name === 'mysql' || s.name === 'information_schema'))
    const kinds = new Map(demo.relations.map((r) => [r.name, r.kind]))
    assert.equal(kinds.get('orders'), 'table')
    assert.equal(kinds.get('order_totals'), 'view')
    const t = await ok('describeTable', { targetId: target.id, schema: 'demo', name: 'order_items' })
    const col = (name: string) => t.columns.find((c) => c.name === name)
    assert.equal(col('order_id')?.primaryKey, true)
    assert.equal(col('product_id')?.references, 'demo.products(id)')
    assert.equal(col('unit_price')?.typeName, 'decimal(10,2)')
    assert.deepEqual(
      t.indexes.map((i) => [i.name, i.primary, i.unique]),
      [
        ['PRIMARY', true, true],
        ['order_items_product_idx', false, false],
      ],
    )
    assert.match(t.indexes[0]?.definition ?? '', /^PRIMARY KEY \(`order_id`, `line_no`\)/)
    assert.match(t.ddl ?? '', /^CREATE TABLE `order_items`/)
    assert.match(t.ddl ?? '', /FOREIGN KEY \(`product_id`\) REFERENCES `products` \(`id`\)/)
    const v = await ok('describeTable', { targetId: target.id, schema: 'demo', name: 'order_totals' })
    assert.match(v.ddl ?? '', /VIEW `order_totals` AS/)
    const page = await ok('previewTable', {
      targetId: target.id,
      schema: 'demo',
      name: 'customers',
      offset: 10,
      limit: 5,
    })
    assert.deepEqual(
      page.rows.map((r) => r[0]),
      ['11', '12', '13', '14', '15'],
    )
    assert.equal(page.hasMore, true)
  })

  test('a script: DML counts, several result sets, exact values, a paged final SELECT', async () => {
    const queryId = qid()
    const r = await ok('runQuery', {
      targetId: target.id,
      queryId,
      pageSize: 4,
      sql: `CREATE TEMPORARY TABLE t (id BIGINT PRIMARY KEY, label VARCHAR(20), doc JSON, raw VARBINARY(4));
            INSERT INTO t SELECT id, CONCAT('row; ', id), JSON_OBJECT('a', id), UNHEX('00ff') FROM customers WHERE id <= 10;
            SELECT 9007199254740993 AS big, CAST(0.1 AS DECIMAL(20,18)) AS d, TIMESTAMP('2024-02-29 12:34:56.123456') AS ts;
            SELECT id, label, doc, raw FROM t ORDER BY id`,
    })
    assert.equal(r.error, null)
    assert.equal(r.results.length, 4)
    assert.equal(r.results[1]?.command, 'INSERT')
    assert.equal(r.results[1]?.rowCount, 10)
    assert.deepEqual(r.results[2]?.rows, [
      ['9007199254740993', '0.100000000000000000', '2024-02-29 12:34:56.123456'],
    ])
    const sel = r.results[3]
    assert.ok(sel)
    assert.deepEqual(
      sel.columns?.map((c) => [c.name, c.typeName, c.kind]),
      [
        ['id', 'bigint', 'number'],
        ['label', 'varchar', 'text'],
        ['doc', 'text', 'text'],
        ['raw', 'varbinary', 'binary'],
      ],
    )
    assert.deepEqual(sel.rows[0], ['1', 'row; 1', '{"a": 1}', '0x00ff'])
    assert.equal(sel.hasMore, true)
    const p2 = await ok('fetchRows', { queryId, resultIndex: 3, count: 4 })
    assert.deepEqual(
      p2.rows.map((x) => x[0]),
      ['5', '6', '7', '8'],
    )
    const p3 = await ok('fetchRows', { queryId, resultIndex: 3, count: 4 })
    assert.deepEqual(
      p3.rows.map((x) => x[0]),
      ['9', '10'],
    )
    assert.equal(p3.hasMore, false)
  })

  test('statement errors are data with the SQLSTATE; the script stops there', async () => {
    const r = await ok('runQuery', {
      targetId: target.id,
      queryId: qid(),
      sql: 'SELECT 1; SELECT nosuchcolumn FROM customers; SELECT 3',
      pageSize: 10,
    })
    assert.equal(r.results.length, 1)
    assert.equal(r.error?.code, 'SQL_ERROR')
    assert.equal(r.error?.sql?.sqlstate, '42S22')
    assert.match(r.error?.message ?? '', /Unknown column 'nosuchcolumn'/)
  })

  // The server materialises the cursor's 10^6 rows before the first page: minutes on a loaded machine.
  test('a 1M-row result is paged with bounded memory (generated server-side)', {
    timeout: 900_000,
  }, async () => {
    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    const queryId = qid()
    // 10^6 rows of ~110 bytes from MariaDB's sequence table (>100 MB if read whole). On MySQL 8 a
    // recursive CTE does it, with cte_max_recursion_depth raised.
    const r = await ok('runQuery', {
      targetId: target.id,
      queryId,
      pageSize: 500,
      sql: "SELECT seq AS i, REPEAT('x', 100) AS pad FROM seq_1_to_1000000",
    })
    assert.equal(r.error, null)
    assert.equal(r.results[0]?.rows.length, 500)
    assert.equal(r.results[0]?.hasMore, true)
    let seen = 500
    for (let i = 0; i < 10; i++) {
      const page = await ok('fetchRows', { queryId, resultIndex: 0, count: 500 })
      assert.equal(page.rows.length, 500)
      assert.equal(page.rows[0]?.[0], String(seen + 1))
      seen += page.rows.length
    }
    assert.equal(seen, 5_500)
    const total = await ok('fetchRows', { queryId, resultIndex: 0, count: 5000 })
    assert.equal(total.hasMore, true, 'nowhere near the end of 10^6 rows')
    const grown = process.memoryUsage().rss - rssBefore
    // Reading the whole result would add hundreds of MB; paging holds a page plus socket buffers.
    assert.ok(grown < 96 * 1024 * 1024, `RSS grew ${grown} bytes`)
    assert.equal(await ok('closeQuery', { queryId }).then((x) => x.closed), true)
    // The abandoned result's connection was dropped, not reused half-read: the next query is clean.
    const next = await ok('runQuery', { targetId: target.id, queryId: qid(), sql: 'SELECT 42', pageSize: 1 })
    assert.deepEqual(next.results[0]?.rows, [['42']])
  })

  test('cancel stops a running statement with KILL QUERY from a second connection', async () => {
    const queryId = qid()
    const running = ok('runQuery', {
      targetId: target.id,
      queryId,
      sql: 'SELECT SUM(a.id * b.id * c.id) FROM orders a, orders b, customers c',
      pageSize: 1,
    })
    await waitFor(() => events.some((e) => e.queryId === queryId && e.kind === 'started'))
    // cancelQuery answers true once KILL QUERY ran; a kill that raced the statement's start would
    // leave it running, so wait until the server lists it.
    await waitForServerStatement(/SUM\(a\.id \* b\.id/)
    assert.equal((await ok('cancelQuery', { queryId })).cancelled, true)
    const r = await running
    assert.equal(r.error?.code, 'QUERY_CANCELLED')
    assert.ok(events.some((e) => e.queryId === queryId && e.kind === 'cancelled'))
    // The session survives KILL QUERY and goes back to the pool usable.
    const next = await ok('runQuery', { targetId: target.id, queryId: qid(), sql: 'SELECT 7', pageSize: 1 })
    assert.deepEqual(next.results[0]?.rows, [['7']])
  })

  test('export writes a held result to CSV and JSON without running SQL again', async () => {
    const q1 = qid()
    const r1 = await ok('runQuery', {
      targetId: target.id,
      queryId: q1,
      pageSize: 1,
      sql: `SELECT id, CONCAT(full_name, ', "q"') AS name FROM customers WHERE id <= 2 ORDER BY id`,
    })
    assert.equal(r1.results[0]?.hasMore, true)
    const csv = await ok('exportResult', { targetId: target.id, queryId: q1, resultIndex: 0, format: 'csv' })
    assert.equal(csv.rows, 2)
    assert.equal(csv.complete, true)
    const lines = readFileSync(csv.path ?? '', 'utf8').split('\r\n')
    assert.equal(lines[0], 'id,name')
    assert.match(lines[1] ?? '', /^1,".+, ""q"""$/)
    const q2 = qid()
    await ok('runQuery', {
      targetId: target.id,
      queryId: q2,
      pageSize: 100,
      sql: 'SELECT id, id * 1000000000000 AS big, status FROM orders ORDER BY id',
    })
    const json = await ok('exportResult', {
      targetId: target.id,
      queryId: q2,
      resultIndex: 0,
      format: 'json',
    })
    assert.equal(json.rows, 5000)
    const parsed = JSON.parse(readFileSync(json.path ?? '', 'utf8')) as Array<{
      id: number
      big: number
      status: string
    }>
    assert.equal(parsed.length, 5000)
    assert.deepEqual(parsed[4999], { id: 5000, big: 5000000000000000, status: parsed[4999]?.status })
    // The grid can still page the exported result (it stays held).
    const page = await ok('fetchRows', { queryId: q2, resultIndex: 0, count: 2 })
    assert.deepEqual(
      page.rows.map((r) => r[0]),
      ['101', '102'],
    )
  })

  test('history lists MySQL runs with their outcome', async () => {
    const h = await ok('listHistory', { targetId: target.id })
    assert.ok(h.some((x) => x.ok === false && x.sql.includes('nosuchcolumn')))
    assert.ok(h.some((x) => x.ok && x.sql.includes('CURRENT_USER()')))
  })
})

async function waitForServerStatement(pattern: RegExp): Promise<void> {
  for (;;) {
    const r = await ok('runQuery', {
      targetId: target.id,
      queryId: qid(),
      sql: "SELECT INFO FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Query', 'Execute') AND ID <> CONNECTION_ID()",
      pageSize: 100,
    })
    if (r.results[0]?.rows.some((row) => pattern.test(row[0] ?? ''))) return
    await new Promise((res) => setTimeout(res, 50))
  }
}

async function waitFor(cond: () => boolean): Promise<void> {
  // Waits for a state, not a duration: the machine may be busy.
  while (!cond()) await new Promise((r) => setTimeout(r, 20))
}
