// EXPLAIN (FORMAT JSON) → tree: labels, totals over loops, self time, details; plain EXPLAIN has
// no actual figures; anything else is refused with a reason.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { explainSql, parsePlan } from '../../../renderer/src/components/explain-plan'

const analyzed = JSON.stringify([
  {
    Plan: {
      'Node Type': 'Nested Loop',
      'Join Type': 'Left',
      'Total Cost': 120.5,
      'Plan Rows': 50,
      'Actual Total Time': 12.0,
      'Actual Rows': 48,
      'Actual Loops': 1,
      Plans: [
        {
          'Node Type': 'Seq Scan',
          'Relation Name': 'customers',
          Alias: 'c',
          'Total Cost': 20,
          'Plan Rows': 10,
          'Actual Total Time': 2.0,
          'Actual Rows': 10,
          'Actual Loops': 1,
          Filter: '(vip = true)',
          'Rows Removed by Filter': 1190,
        },
        {
          'Node Type': 'Index Scan',
          'Index Name': 'orders_customer_idx',
          'Relation Name': 'orders',
          Alias: 'o',
          'Total Cost': 9,
          'Plan Rows': 5,
          'Actual Total Time': 0.8,
          'Actual Rows': 4.8,
          'Actual Loops': 10,
          'Index Cond': '(customer_id = c.id)',
        },
      ],
    },
    'Planning Time': 0.3,
    'Execution Time': 12.4,
  },
])

test('an analyzed plan: labels, totals over loops, self time, details', () => {
  const p = parsePlan(analyzed)
  assert.equal(p.analyzed, true)
  assert.equal(p.planningMs, 0.3)
  assert.equal(p.executionMs, 12.4)
  assert.equal(p.root.label, 'Nested Loop (Left)')
  const [scan, index] = p.root.children
  assert.equal(scan?.label, 'Seq Scan on customers c')
  assert.deepEqual(scan?.details, ['Filter: (vip = true)', 'Rows removed by filter: 1,190'])
  assert.equal(index?.label, 'Index Scan using orders_customer_idx on orders o')
  assert.equal(index?.totalMs, 8, '0.8 ms × 10 loops')
  assert.equal(index?.actualRows, 48)
  assert.equal(p.root.selfMs, 2, '12 − 2 − 8')
})

test('plain EXPLAIN has estimates only; non-plans are refused', () => {
  const p = parsePlan(
    '[{"Plan": {"Node Type": "Seq Scan", "Relation Name": "t", "Plan Rows": 7, "Total Cost": 1}}]',
  )
  assert.equal(p.analyzed, false)
  assert.equal(p.root.actualRows, null)
  assert.equal(p.root.selfMs, null)
  const update = parsePlan(
    '[{"Plan": {"Node Type": "ModifyTable", "Operation": "Update", "Relation Name": "orders"}}]',
  )
  assert.equal(update.root.label, 'Update on orders')
  assert.throws(() => parsePlan('[1]'), /not an EXPLAIN/)
  assert.throws(() => parsePlan('nope'))
})

test('the EXPLAIN statement drops the trailing semicolon', () => {
  assert.equal(explainSql('select 1;  ', false), 'EXPLAIN (FORMAT JSON) select 1')
  assert.equal(explainSql('delete from t', true), 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) delete from t')
})
