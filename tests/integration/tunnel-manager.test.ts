import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { silentLogger } from '../../electron/base/logger'
import { TunnelManager } from '../../electron/tunnel/tunnel-manager'
import type { TunnelStatus } from '../../shared/ipc/models'
import { type FakeAgent, startFakeAgent } from '../fixtures/tunnel/fake-agent'
import { echoThrough, startEcho, testTarget } from '../fixtures/tunnel/helpers'
import { waitFor } from '../fixtures/wait-for'

describe('TunnelManager (TunnelService)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>
  let agent: FakeAgent
  before(async () => {
    echo = await startEcho()
    agent = await startFakeAgent()
  })
  after(async () => {
    await agent.close()
    await echo.close()
  })

  it('opens one tunnel per target, reports status events, disconnects and reconnects', async () => {
    const events: TunnelStatus[] = []
    const manager = new TunnelManager({ apiFor: () => agent.api, logger: silentLogger })
    manager.onStatus((s) => events.push(s))
    const target = testTarget()
    agent.route(target.rdsHost, target.rdsPort, echo.port)
    const [a, b] = await Promise.all([manager.connect(target), manager.connect(target)])
    assert.equal(a.localPort, b.localPort, 'second connect returns the same tunnel')
    assert.equal(agent.sessions.size, 1)
    assert.deepEqual(
      events.map((e) => e.state).filter((s, i, all) => all[i - 1] !== s),
      ['starting', 'open'],
    )
    await echoThrough(a.localPort!, Buffer.from('hello'))
    // Counters are pushed on the status tick: wait for that state, not for a fixed time.
    await waitFor(() => (events.at(-1)?.bytesOut ?? 0) >= 5, { what: 'byte counts pushed as events' })
    const latest = manager.get(target.id)!
    assert.ok(latest.bytesIn >= 5 && latest.bytesOut >= 5)
    const closed = await manager.disconnect(target.id)
    assert.equal(closed.state, 'closed')
    assert.equal(manager.list().length, 1)
    const again = await manager.connect(target)
    assert.equal(again.state, 'open')
    await manager.closeAll()
    assert.equal(manager.get(target.id)!.state, 'closed')
  })

  it('rejects with the PortholeError of a failed start and keeps a failed status', async () => {
    const manager = new TunnelManager({
      apiFor: () => ({
        ...agent.api,
        startSession: async () => {
          throw Object.assign(new Error('i-0123 is not connected.'), { name: 'x' })
        },
      }),
      logger: silentLogger,
    })
    const target = testTarget()
    await assert.rejects(manager.connect(target))
    assert.equal(manager.get(target.id)!.state, 'failed')
    assert.ok(manager.get(target.id)!.lastError)
  })
})
