// Issue 17, with a fake clock (Date mocked for the engine, the SDK signer and the simulator alike):
// a client connected for 30 minutes and more keeps working, and every client that connects after
// the 15-minute token lifetime gets its own fresh token (counted) that the RDS gate accepts.
import assert from 'node:assert/strict'
import { after, before, mock, test } from 'node:test'
import { connectClient, type ProxyFixture, startProxyFixture } from '../fixtures/proxy-fixture'

let fx: ProxyFixture
before(async () => {
  fx = await startProxyFixture()
})
after(async () => {
  mock.timers.reset()
  await fx?.close()
})

const tokens = async (): Promise<number> => {
  const s = (await fx.te.engine.handlers.listProxies(undefined)).find((p) => p.targetId === fx.target.id)
  return s?.tokensSigned ?? assert.fail('proxy not listed')
}

test('a long-lived client outlives its token; each later client signs a fresh one', async () => {
  const long = await connectClient(fx.pgConfig({ application_name: 'long-lived' }))
  assert.equal((await long.query('select 1 as n')).rows[0].n, 1)
  // The mocked Date keeps running at real speed (the simulator's pacing reads it) plus a jump.
  const start = Date.now()
  const real0 = performance.now()
  let jump = 0
  mock.timers.enable({ apis: ['Date'], now: start })
  const pace = setInterval(() => mock.timers.setTime(Math.floor(start + jump + performance.now() - real0)), 5)
  try {
    for (const minutes of [16, 31, 47]) {
      jump = minutes * 60_000
      mock.timers.setTime(Math.floor(start + jump + performance.now() - real0))
      const r = await long.query('select $1::int as m', [minutes])
      assert.equal(r.rows[0].m, minutes, `the first client still works after ${minutes} min`)
      const before = await tokens()
      for (let i = 0; i < 3; i++) {
        const c = await connectClient(fx.pgConfig({ application_name: `after-${minutes}-${i}` }))
        assert.equal((await c.query('select 2 as n')).rows[0].n, 2)
        await c.end()
      }
      // One token per new upstream connection, signed at the (fake) current time: the gate checks
      // X-Amz-Date against the same clock, so a reused or stale token would have been refused.
      assert.equal(await tokens(), before + 3)
      const s = (await fx.te.engine.handlers.listProxies(undefined)).find((p) => p.targetId === fx.target.id)
      assert.ok((s?.lastTokenAt ?? 0) >= start + minutes * 60_000, 'the token was signed after the jump')
    }
  } finally {
    clearInterval(pace)
    mock.timers.reset()
    await long.end()
  }
})
