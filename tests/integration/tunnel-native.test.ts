import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { silentLogger } from '../../electron/base/logger'
import { Tunnel } from '../../electron/tunnel/tunnel'
import { type FakeAgent, startFakeAgent } from '../fixtures/tunnel/fake-agent'
import { echoThrough, seededBytes, sha256, startEcho, testTarget } from '../fixtures/tunnel/helpers'

describe('native tunnel against the fake agent', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>
  const agents: FakeAgent[] = []
  before(async () => {
    echo = await startEcho()
  })
  after(async () => {
    await Promise.all(agents.map((a) => a.close()))
    await echo.close()
  })

  async function openTunnel(faults: Parameters<typeof startFakeAgent>[0] = {}, overrides = {}) {
    const agent = await startFakeAgent(faults)
    agents.push(agent)
    const target = testTarget(overrides)
    agent.route(target.rdsHost, target.rdsPort, echo.port)
    const tunnel = new Tunnel(target, { api: agent.api, logger: silentLogger })
    const status = await tunnel.open()
    return { agent, tunnel, status }
  }

  for (const [version, mode] of [
    ['3.3.987.0', 'mux'],
    ['3.1.1000.0', 'mux'],
    ['3.0.100.0', 'basic'],
  ] as const) {
    it(`handshakes and relays with agent ${version} (${mode})`, async () => {
      const { agent, tunnel, status } = await openTunnel({ agentVersion: version })
      assert.equal(status.state, 'open')
      assert.equal(status.mode, mode)
      assert.equal(status.agentVersion, version)
      assert.ok(status.localPort && status.localPort > 0)
      const data = seededBytes(1, 100_000)
      assert.equal(sha256(await echoThrough(status.localPort!, data)), sha256(data))
      const session = [...agent.sessions.values()][0]!
      assert.match(
        session.log[0]!,
        /open MessageSchemaVersion,RequestId,TokenValue,ClientId,ClientVersion 1\.2\.650\.0/,
      )
      const closed = await tunnel.close()
      assert.equal(closed.state, 'closed')
      assert.ok(session.log.includes('flag 2'), 'TerminateSession flag sent')
    })
  }
})
