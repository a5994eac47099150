// Schema browsing through the sim gate on a schema this file creates.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { adminQuery, type DbFixture, startDbFixture, uniqueName } from '../fixtures/db/db-fixture'

let fx: DbFixture
const schema = uniqueName('it_schema')
before(async () => {
  fx = await startDbFixture()
  await adminQuery(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz DEFAULT now());
    CREATE TABLE ${schema}."Odd ""Name""" (k int PRIMARY KEY, v bytea);
    INSERT INTO ${schema}."Odd ""Name""" SELECT g, '\\x00ff'::bytea FROM generate_series(1, 7) g;
    CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, customer_id int REFERENCES ${schema}.customers(id), total numeric(12,2));
    CREATE INDEX orders_customer_idx ON ${schema}.orders (customer_id);
    CREATE VIEW ${schema}.big_orders AS SELECT * FROM ${schema}.orders WHERE total > 100;
    CREATE MATERIALIZED VIEW ${schema}.order_counts AS SELECT customer_id, count(*) FROM ${schema}.orders GROUP BY 1;
    CREATE TABLE ${schema}.events (at date NOT NULL, n int) PARTITION BY RANGE (at);
    CREATE TABLE ${schema}.events_2024 PARTITION OF ${schema}.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    ANALYZE ${schema}."Odd ""Name""";
  `)
})
after(async () => {
  await fx.close()
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
})

test('listSchema returns relations with kinds and estimates, partitions folded', async () => {
  const tree = await fx.service.listSchema(fx.target)
  assert.ok(!tree.schemas.some((s) => ['pg_catalog', 'information_schema', 'pg_toast'].includes(s.name)))
  const mine = tree.schemas.find((s) => s.name === schema)
  assert.ok(mine)
  const kinds = Object.fromEntries(mine.relations.map((r) => [r.name, r.kind]))
  assert.deepEqual(kinds, {
    big_orders: 'view',
    customers: 'table',
    events: 'partitioned_table',
    'Odd "Name"': 'table',
    order_counts: 'materialized_view',
    orders: 'table',
  })
  assert.equal(mine.relations.find((r) => r.name === 'Odd "Name"')?.estimatedRows, 7)
  assert.equal(mine.relations.find((r) => r.name === 'big_orders')?.estimatedRows, null)
})

test('describeTable: types, nullability, defaults, PK, FK, indexes', async () => {
  const d = await fx.service.describeTable(fx.target, schema, 'orders')
  assert.equal(d.kind, 'table')
  assert.deepEqual(
    d.columns.map((c) => [c.name, c.typeName, c.nullable, c.primaryKey, c.references]),
    [
      ['id', 'bigint', false, true, null],
      ['customer_id', 'integer', true, false, `${schema}.customers(id)`],
      ['total', 'numeric(12,2)', true, false, null],
    ],
  )
  const c = await fx.service.describeTable(fx.target, schema, 'customers')
  assert.match(c.columns[0]?.default ?? '', /^nextval\(/)
  assert.equal(c.columns[2]?.default, 'now()')
  assert.deepEqual(
    d.indexes.map((i) => [i.name, i.unique, i.primary]),
    [
      ['orders_pkey', true, true],
      ['orders_customer_idx', false, false],
    ],
  )
  assert.match(
    d.indexes[1]?.definition ?? '',
    /CREATE INDEX orders_customer_idx ON .*USING btree \(customer_id\)/,
  )
  await assert.rejects(fx.service.describeTable(fx.target, schema, 'missing'), { code: 'NOT_FOUND' })
})

test('previewTable pages a quoted identifier by primary key', async () => {
  const p1 = await fx.service.previewTable(fx.target, schema, 'Odd "Name"', 0, 5)
  assert.deepEqual(
    p1.columns.map((c) => [c.name, c.kind]),
    [
      ['k', 'number'],
      ['v', 'binary'],
    ],
  )
  assert.deepEqual(
    p1.rows.map((r) => r[0]),
    ['1', '2', '3', '4', '5'],
  )
  assert.equal(p1.rows[0]?.[1], '\\x00ff')
  assert.equal(p1.hasMore, true)
  const p2 = await fx.service.previewTable(fx.target, schema, 'Odd "Name"', 5, 5)
  assert.deepEqual(
    p2.rows.map((r) => r[0]),
    ['6', '7'],
  )
  assert.equal(p2.hasMore, false)
  // A name that would be SQL if interpolated is just a missing table.
  await assert.rejects(fx.service.previewTable(fx.target, schema, 'x"; drop table orders; --', 0, 5), {
    code: 'SQL_ERROR',
  })
})

test('listSchema carries column names for autocomplete', async () => {
  const tree = await fx.service.listSchema(fx.target)
  const orders = tree.schemas.find((s) => s.name === schema)?.relations.find((r) => r.name === 'orders')
  assert.deepEqual(orders?.columns, ['id', 'customer_id', 'total'])
})

test('describeTable: constraints and a DDL that PostgreSQL accepts back', async () => {
  const d = await fx.service.describeTable(fx.target, schema, 'orders')
  assert.deepEqual(
    d.constraints?.filter((c) => c.kind !== 'not_null').map((c) => c.kind),
    ['primary_key', 'foreign_key'],
  )
  assert.match(
    d.constraints?.find((c) => c.kind === 'foreign_key')?.definition ?? '',
    /REFERENCES .*customers\(id\)/,
  )
  assert.match(d.ddl ?? '', /^CREATE TABLE .*orders \(\n {2}id bigint NOT NULL,/)
  assert.match(d.ddl ?? '', /CREATE INDEX orders_customer_idx ON /)
  // The DDL recreates both tables under another schema: proof it is valid, complete SQL.
  const copy = uniqueName('it_ddl')
  const customers = (await fx.service.describeTable(fx.target, schema, 'customers')).ddl ?? ''
  const moved = (ddl: string) => ddl.replaceAll(`${schema}.`, `${copy}.`)
  await adminQuery(`CREATE SCHEMA ${copy}; ${moved(customers)} ${moved(d.ddl ?? '')}`)
  await adminQuery(`DROP SCHEMA ${copy} CASCADE`)
  const v = await fx.service.describeTable(fx.target, schema, 'big_orders')
  assert.match(v.ddl ?? '', /^CREATE VIEW .*big_orders AS\n/)
  const p = await fx.service.describeTable(fx.target, schema, 'events')
  assert.match(p.ddl ?? '', /PARTITION BY RANGE \(at\);/)
})

test('countRows gives the exact count on demand', async () => {
  const r = await fx.service.countRows(fx.target, schema, 'Odd "Name"')
  assert.equal(r.count, 7)
  await assert.rejects(fx.service.countRows(fx.target, schema, 'nope'), { code: 'SQL_ERROR' })
})
