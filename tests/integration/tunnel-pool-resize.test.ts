// A pool grows and shrinks under live traffic without dropping a stream: byte-exact echo through
// the simulator while sessions are added and drained. Waits for states, never for a time.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createSsmSessionApi } from '../../electron/aws/ssm-api'
import { silentLogger } from '../../electron/base/logger'
import { Tunnel } from '../../electron/tunnel/tunnel'
import type { TunnelStatus } from '../../shared/ipc/models'
import { type Simulator, startSimulator } from '../../sim/index'
import { testTarget } from '../fixtures/test-target'
import { echoThrough, seededBytes, sha256, waitForStatus } from '../fixtures/tunnel/helpers'

describe('session pool resize under load (simulator)', () => {
  let sim: Simulator
  let echo: Server
  let api: ReturnType<typeof createSsmSessionApi>
  const tunnels: Tunnel[] = []
  before(async () => {
    echo = createServer((s) => s.pipe(s).on('error', () => {}))
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
    const port = (echo.address() as { port: number }).port
    sim = await startSimulator({
      extraRoutes: [{ host: 'echo.internal', port: 7, to: { host: '127.0.0.1', port } }],
    })
    api = createSsmSessionApi({
      region: sim.region,
      endpoint: sim.endpoint,
      credentials: async () => sim.credentials,
    })
  })
  after(async () => {
    await Promise.all(tunnels.map((t) => t.close()))
    api.destroy()
    await sim.close()
    echo.close()
  })

  async function openPool(sessionPool: number): Promise<{ tunnel: Tunnel; port: number }> {
    const target = testTarget({
      region: sim.region,
      instanceId: sim.instances[0]!.instanceId,
      rdsHost: 'echo.internal',
      rdsPort: 7,
      sessionPool,
    })
    const tunnel = new Tunnel(target, { api, logger: silentLogger, statusThrottleMs: 20 })
    tunnels.push(tunnel)
    const status = await tunnel.open()
    return { tunnel, port: status.localPort! }
  }

  /** Starts an echo and resolves `started` once the first bytes came back (the stream is live). */
  function liveEcho(port: number, data: Buffer) {
    let markStarted: () => void = () => {}
    const started = new Promise<void>((r) => {
      markStarted = r
    })
    const done = echoThrough(port, data, { onProgress: () => markStarted() })
    return { started, done }
  }

  it('grows 2 → 4 and shrinks 4 → 1 mid-transfer, every stream byte-exact, drained sessions end', async () => {
    const { tunnel, port } = await openPool(2)
    assert.equal(tunnel.status().sessions?.length, 2)
    const first = Array.from({ length: 4 }, (_, i) => seededBytes(40 + i, 200_000))
    const firstRun = first.map((d) => liveEcho(port, d))
    await Promise.all(firstRun.map((r) => r.started))

    const grown = await tunnel.resize(4)
    assert.equal(grown.sessions?.filter((s) => !s.draining).length, 4)
    // New streams go to the new, idle sessions: they carry no stream yet.
    const second = Array.from({ length: 2 }, (_, i) => seededBytes(60 + i, 150_000))
    const secondRun = second.map((d) => liveEcho(port, d))
    await Promise.all(secondRun.map((r) => r.started))
    const afterGrow = tunnel.status().sessions ?? []
    assert.equal(afterGrow.length, 4)
    assert.ok(
      afterGrow.slice(2).every((s) => s.openStreams === 1),
      `each new session took one new stream: ${JSON.stringify(afterGrow)}`,
    )

    const shrunk = await tunnel.resize(1)
    const draining = (shrunk.sessions ?? []).filter((s) => s.draining).map((s) => s.sessionId)
    assert.equal(draining.length, 3)
    const keeper = (shrunk.sessions ?? []).find((s) => !s.draining)!
    // A stream opened while others drain lands on the one session still accepting.
    const third = seededBytes(80, 100_000)
    const thirdRun = liveEcho(port, third)
    await thirdRun.started
    const during = tunnel.status().sessions ?? []
    for (const s of during.filter((d) => d.draining)) {
      const before = (shrunk.sessions ?? []).find((x) => x.sessionId === s.sessionId)!
      assert.ok(s.openStreams <= before.openStreams, `draining ${s.sessionId} took no new stream`)
    }
    assert.ok(during.find((s) => s.sessionId === keeper.sessionId)!.openStreams >= 1)

    const outs = await Promise.all([...firstRun, ...secondRun, thirdRun].map((r) => r.done))
    const inputs = [...first, ...second, third]
    for (const [i, o] of outs.entries()) assert.equal(sha256(o), sha256(inputs[i]!), `stream ${i}`)

    const drained = (s: TunnelStatus) => s.sessionIds.length === 1
    const final = drained(tunnel.status())
      ? tunnel.status()
      : await waitForStatus((l) => tunnel.onStatus(l), drained)
    assert.deepEqual(final.sessionIds, [keeper.sessionId])
    for (const id of draining) assert.equal(sim.agent.sessionInfo(id)?.ended, true, `${id} terminated`)
    assert.equal(tunnel.status().state, 'open')
    // The pool still works after shrinking.
    const last = seededBytes(90, 50_000)
    assert.equal(sha256(await echoThrough(port, last)), sha256(last))
  })

  it('refuses a pool size out of range with a clear error', async () => {
    const { tunnel } = await openPool(1)
    await assert.rejects(tunnel.resize(0), /1-8 sessions/)
    await assert.rejects(tunnel.resize(9), /1-8 sessions/)
  })
})
