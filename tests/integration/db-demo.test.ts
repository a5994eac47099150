// Browsing the simulator's demo database (sim/rds demo seed) as the demo's IAM user through the gate.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { DEMO } from '../../shared/demo'
import { DEMO_ROW_COUNTS } from '../../sim/rds/demo-seed'
import { startUpstream, type Upstream } from '../../sim/rds/upstream'
import { type DbFixture, startDbFixture } from '../fixtures/db/db-fixture'

let upstream: Upstream
let fx: DbFixture
before(async () => {
  upstream = await startUpstream({ prefer: 'postgres' })
  fx = await startDbFixture({ dbUser: DEMO.dbUser, target: { database: DEMO.database } })
})
after(async () => {
  await fx.close()
  await upstream.close()
})

test('the demo schema is browsable as the IAM user', async () => {
  const tree = await fx.service.listSchema(fx.target)
  const names = (schema: string) =>
    tree.schemas.find((s) => s.name === schema)?.relations.map((r) => r.name) ?? []
  for (const [qualified] of Object.entries(DEMO_ROW_COUNTS)) {
    const [schema = '', table = ''] = qualified.split('.')
    assert.ok(names(schema).includes(table), `${qualified} listed`)
  }
  const orders = await fx.service.describeTable(fx.target, 'public', 'orders')
  assert.ok(orders.columns.some((c) => c.references === 'public.customers(id)'))
  assert.ok(orders.indexes.some((i) => i.primary))
  const preview = await fx.service.previewTable(fx.target, 'public', 'customers', 0, 25)
  assert.equal(preview.rows.length, 25)
  assert.equal(preview.rows[0]?.[0], '1')
  assert.equal(preview.hasMore, true)
  const r = await fx.service.runQuery(fx.target, {
    queryId: 'q_demo_count',
    sql: 'select current_user, count(*) from public.orders',
    pageSize: 10,
  })
  assert.equal(r.error, null)
  assert.deepEqual(r.results[0]?.rows, [[DEMO.dbUser, String(DEMO_ROW_COUNTS['public.orders'])]])
})
