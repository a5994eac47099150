// Issue 17: a WebSocket drop that the tunnel resumes does not break the proxy's clients: their
// sessions (upstream TCP to the tunnel's local port) stay up through the resume, mid-result.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { connectClient, type ProxyFixture, startProxyFixture } from '../fixtures/proxy-fixture'
import { waitFor } from '../fixtures/wait-for'

let fx: ProxyFixture
before(async () => {
  fx = await startProxyFixture()
})
after(async () => {
  await fx?.close()
})

test('a client keeps its session through a WebSocket drop and resume', async () => {
  const sim = fx.te.sim() ?? assert.fail('simulator not started')
  const c = await connectClient(fx.pgConfig({ application_name: 'through-a-drop' }))
  const states: string[] = []
  const off = fx.te.engine.bus.on('onTunnelChanged', (s) => {
    if (s.targetId === fx.target.id) states.push(s.state)
  })
  try {
    const tunnel = (await fx.te.engine.handlers.listTunnels(undefined)).find(
      (t) => t.targetId === fx.target.id,
    )
    const sessionId = tunnel?.sessionIds[0] ?? assert.fail('no SSM session')
    // A result big enough to be in flight when the WebSocket is cut.
    const big = c.query("select string_agg(md5(i::text), '') as s from generate_series(1, 20000) i")
    await new Promise((r) => setTimeout(r, 100))
    sim.agent.dropConnection(sessionId)
    const r = await big
    assert.equal((r.rows[0].s as string).length, 20000 * 32)
    await waitFor(() => states.includes('resuming') && states.at(-1) === 'open', {
      what: `the tunnel resuming to open (states: ${states.join(',')})`,
      progress: () => states.length,
    })
    assert.ok(states.includes('resuming'), `the tunnel resumed (states: ${states.join(',')})`)
    assert.equal((await c.query('select 42 as n')).rows[0].n, 42, 'the same session still answers')
    const status = (await fx.te.engine.handlers.listProxies(undefined)).find(
      (p) => p.targetId === fx.target.id,
    )
    assert.ok(
      status?.clients.some((cl) => cl.applicationName === 'through-a-drop'),
      'still listed as connected',
    )
  } finally {
    off()
    await c.end()
  }
})
