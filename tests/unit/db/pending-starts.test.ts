// "Cancel while the query waits" — for its tunnel (db-service) or its connection (query-runner) —
// is one implementation: a cancel during the wait is remembered and reported when the wait ends.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { silentLogger } from '../../../electron/base/logger'
import { createDbService } from '../../../electron/db/db-service'
import { createPendingStarts } from '../../../electron/db/pending-starts'
import type { QueryEvent } from '../../../shared/ipc/models'
import { testTarget } from '../../fixtures/test-target'

function gate(): { open: Promise<number>; release(port: number): void } {
  let release: (port: number) => void = () => {}
  const open = new Promise<number>((resolve) => {
    release = resolve
  })
  return { open, release }
}

test('a cancel during the wait is reported when the wait ends; a failed wait leaves nothing behind', async () => {
  const pending = createPendingStarts()
  const g = gate()
  const waiting = pending.wait('q1', () => g.open)
  assert.ok(pending.has('q1'))
  assert.equal(pending.cancel('q1'), true)
  assert.equal(pending.cancel('other'), false)
  g.release(5432)
  assert.deepEqual(await waiting, { value: 5432, cancelled: true })
  assert.equal(pending.size, 0)

  assert.deepEqual(await pending.wait('q2', async () => 1), { value: 1, cancelled: false })
  await assert.rejects(
    pending.wait('q3', async () => {
      throw new Error('tunnel failed')
    }),
    /tunnel failed/,
  )
  assert.equal(pending.has('q3'), false)
})

test('the database service honours a cancel that arrives while the tunnel opens', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-pending-'))
  const tunnel = gate()
  const events: QueryEvent[] = []
  const db = createDbService({
    dataDir: dir,
    signerFor: () => {
      throw new Error('no token may be signed for a cancelled query')
    },
    ensureTunnel: () => tunnel.open,
    logger: silentLogger,
    onQueryEvent: (e) => events.push(e),
  })
  try {
    const run = db.runQuery(testTarget(), { queryId: 'q-while-opening', sql: 'select 1', pageSize: 10 })
    await new Promise((r) => setImmediate(r))
    assert.equal(await db.cancelQuery('q-while-opening'), true)
    tunnel.release(1) // nothing listens there: a query that ran anyway would fail differently
    const result = await run
    assert.equal(result.error?.code, 'QUERY_CANCELLED')
    assert.deepEqual(result.results, [])
    assert.ok(events.some((e) => e.queryId === 'q-while-opening' && e.kind === 'cancelled'))
  } finally {
    await db.closeAll()
    await rm(dir, { recursive: true, force: true })
  }
})
