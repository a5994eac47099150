// What the service does to a session, and what the API refuses, always ends in a status or error
// that says why, never a hang: throttling, AccessDenied, idle timeout, max duration, and the next
// query reopening the tunnel after the session ended.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import type { TunnelStatus } from '../../shared/ipc/models'
import { startTestEngine } from '../fixtures/test-engine'
import { startSimFixture } from './sim-fixture'

const cleanups: Array<() => Promise<unknown>> = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
})

test('throttling and AccessDenied from the API are reported with their codes', {
  timeout: 60_000,
}, async () => {
  const fx = await startSimFixture()
  cleanups.push(() => fx.close())
  const arn = fx.sim.iam.principals()[0]!.arn
  fx.sim.iam.deny(arn, 'ssm:StartSession')
  await assert.rejects(fx.manager.connect(fx.echoTarget()), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'ACCESS_DENIED')
    assert.match(e.message, /ssm:StartSession/)
    return true
  })
  fx.sim.iam.allow(arn, 'ssm:StartSession')
  fx.sim.faults.setApiRate(0.01) // every call beyond the first is throttled
  await fx.manager.connect(fx.echoTarget()).catch(() => {})
  await assert.rejects(
    fx.manager.connect(fx.echoTarget()),
    (e: Error & { code?: string }) => e.code === 'THROTTLED',
  )
  fx.sim.faults.setApiRate(null)
})

test('idle timeout and max duration end the session with the reason in the status', {
  timeout: 60_000,
}, async () => {
  const fx = await startSimFixture({ agent: { idleTimeoutMs: 800 } })
  cleanups.push(() => fx.close())
  const ended = new Promise<TunnelStatus>((resolve) =>
    fx.manager.onStatus((s) => (s.state === 'closed' || s.state === 'failed') && resolve(s)),
  )
  await fx.manager.connect(fx.echoTarget())
  const s = await ended
  assert.match(s.endReason ?? '', /inactivity/)
  fx.sim.faults.agent.idleTimeoutMs = 20 * 60_000
  fx.sim.faults.agent.maxDurationMs = 800
  const second = fx.echoTarget()
  const ended2 = new Promise<TunnelStatus>((resolve) =>
    fx.manager.onStatus(
      (st) => st.targetId === second.id && (st.state === 'closed' || st.state === 'failed') && resolve(st),
    ),
  )
  await fx.manager.connect(second)
  assert.match((await ended2).endReason ?? '', /\S/)
})

test('after the session ends, the next query reopens the tunnel by itself', { timeout: 90_000 }, async () => {
  const te = await startTestEngine()
  cleanups.push(() => te.close())
  const engine = te.engine
  const h = engine.handlers
  const demo = await h.createDemoTarget(undefined)
  const first = await h.connectTarget({ targetId: demo.id })
  const closed = new Promise<TunnelStatus>((r) =>
    engine.bus.on('onTunnelChanged', (s) => s.state === 'closed' && r(s)),
  )
  te.sim()!.agent.terminate(
    first.sessionIds[0]!,
    'Your session timed out due to inactivity and has been terminated.',
  )
  assert.match((await closed).endReason ?? '', /inactivity/)
  const res = await h.runQuery({
    targetId: demo.id,
    queryId: 'reopen-0001',
    sql: 'select 42 as n',
    pageSize: 10,
  })
  assert.equal(res.results[0]?.rows[0]?.[0], '42')
  const now = (await h.listTunnels(undefined)).find((t) => t.targetId === demo.id)
  assert.equal(now?.state, 'open')
  assert.notEqual(now?.sessionIds[0], first.sessionIds[0], 'a new session')
})
