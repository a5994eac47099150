import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { silentLogger } from '../../electron/base/logger'
import { Tunnel, type TunnelOptions } from '../../electron/tunnel/tunnel'
import { type FakeAgent, type FakeAgentFaults, startFakeAgent } from '../fixtures/tunnel/fake-agent'
import {
  echoThrough,
  seededBytes,
  sha256,
  startEcho,
  testTarget,
  waitForStatus,
} from '../fixtures/tunnel/helpers'
import { watchForStall } from '../fixtures/wait-for'

const FAST: Omit<TunnelOptions, 'api' | 'logger'> = { dataChannel: { ratePerSec: 50_000 } }

describe('native tunnel: load and faults (fake agent)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>
  const agents: FakeAgent[] = []
  const tunnels: Tunnel[] = []
  before(async () => {
    echo = await startEcho()
  })
  after(async () => {
    await Promise.all(tunnels.map((t) => t.close()))
    await Promise.all(agents.map((a) => a.close()))
    await echo.close()
  })

  async function open(
    faults: FakeAgentFaults = {},
    options: Omit<TunnelOptions, 'api' | 'logger'> = {},
    target = {},
    routed = true,
  ) {
    const agent = await startFakeAgent(faults)
    agents.push(agent)
    const t = testTarget(target)
    if (routed) agent.route(t.rdsHost, t.rdsPort, echo.port)
    const tunnel = new Tunnel(t, { ...options, api: agent.api, logger: silentLogger })
    tunnels.push(tunnel)
    const status = await tunnel.open()
    return { agent, tunnel, port: status.localPort!, status }
  }

  it('carries 50 concurrent streams, each byte-exact (sha256), under the service rate cap', async () => {
    const { agent, tunnel, port } = await open({ rateCap: 1000 })
    const inputs = Array.from({ length: 50 }, (_, i) => seededBytes(i + 10, 20_000 + i * 97))
    const shared = watchForStall('50 streams')
    const outputs = await Promise.all(inputs.map((d) => echoThrough(port, d, { shared })))
    shared.stop()
    for (const [i, o] of outputs.entries()) assert.equal(sha256(o), sha256(inputs[i]!), `stream ${i}`)
    const log = [...agent.sessions.values()][0]!.log
    assert.ok(!log.includes('rate cap exceeded'))
    assert.ok(log.includes('smux 0 3') && log.includes('smux 0 5'), 'odd stream ids from 3')
    assert.ok(tunnel.status().bytesOut >= inputs.reduce((n, d) => n + d.length, 0))
  })

  // Volume is a benchmark's job (bench/tunnel-throughput.ts); this proves byte-exactness and that
  // every pooled session carries traffic, with sizes that take seconds even on a busy machine.
  it('moves 8 streams byte-exact over a pool of 4 sessions', async () => {
    const { tunnel, port, status } = await open({}, FAST, { sessionPool: 4 })
    assert.equal(status.sessionIds.length, 4)
    const parts = Array.from({ length: 8 }, (_, i) => seededBytes(100 + i, 512 * 1024))
    const shared = watchForStall('8 pooled streams')
    const outs = await Promise.all(parts.map((p) => echoThrough(port, p, { shared })))
    shared.stop()
    for (const [i, o] of outs.entries()) assert.equal(sha256(o), sha256(parts[i]!), `part ${i}`)
    assert.equal(
      // Placement follows work in flight, not turns, so a session may carry one 512 KB stream
      // (over 500 messages) while another carries three; each must carry at least one.
      tunnel.sessions.every((s) => s.channel.stats.sent > 500),
      true,
      'every pooled session carried traffic',
    )
  })

  it('survives reordering, duplicates, not-ready drops, bogus start_publication, pause and garbage frames', async () => {
    const { tunnel, port } = await open({
      reorderEvery: 7,
      duplicateEvery: 5,
      notReadyDrops: 20,
      bogusStartPublication: true,
      pausePublication: true,
      garbageFrames: true,
    })
    const data = seededBytes(7, 600_000)
    assert.equal(sha256(await echoThrough(port, data)), sha256(data))
    const stats = tunnel.sessions[0]!.channel.stats
    assert.ok(stats.duplicates > 0, 'duplicates seen and re-acked')
    assert.ok(stats.outOfOrder > 0, 'out-of-order buffered')
    assert.ok(stats.malformed > 0, 'garbage dropped')
    assert.ok(stats.resent > 0, 'not-ready input retransmitted')
    assert.equal(tunnel.status().state, 'open')
  })

  it('resumes after forced WebSocket drops mid-transfer with no corruption', async () => {
    const { agent, tunnel, port } = await open({}, { dataChannel: { ratePerSec: 5000 } })
    const states: string[] = []
    tunnel.onStatus((s) => states.push(s.state))
    const data = seededBytes(9, 1_000_000)
    // Faults at byte counts, not at times: the drops land mid-transfer however slow the machine.
    const dropAt = [100_000, 500_000]
    const done = echoThrough(port, data, {
      onProgress: (received) => {
        if (dropAt.length && received >= dropAt[0]!) {
          dropAt.shift()
          agent.dropAll()
        }
      },
    })
    assert.equal(sha256(await done), sha256(data))
    assert.equal(dropAt.length, 0, 'both drops happened during the transfer')
    assert.ok(states.includes('resuming'), 'went through resuming')
    assert.equal(tunnel.status().state, 'open')
  })

  it('ends "timed out" when ResumeSession returns an empty token', async () => {
    const { agent, tunnel } = await open({ resumeEmptyToken: true })
    const ended = waitForStatus(
      (l) => tunnel.onStatus(l),
      (s) => s.state === 'closed' || s.state === 'failed',
    )
    agent.dropAll()
    const s = await ended
    assert.equal(s.state, 'closed')
    assert.equal(s.lastError?.code, 'TUNNEL_CLOSED')
    assert.match(s.endReason ?? '', /timed out/)
  })

  it('reports channel_closed with its reason and frees the port', async () => {
    const { agent, tunnel, port } = await open()
    const ended = waitForStatus(
      (l) => tunnel.onStatus(l),
      (s) => s.state === 'closed',
    )
    agent.endSession(tunnel.status().sessionIds[0]!, 'Session reached its maximum duration')
    const s = await ended
    assert.equal(s.endReason, 'Session reached its maximum duration')
    assert.equal(s.lastError?.code, 'TUNNEL_CLOSED')
    await assertPortFree(port)
  })

  it('reports the idle timeout with its reason', async () => {
    const { tunnel, port } = await open({ idleTimeoutMs: 400 })
    await echoThrough(port, Buffer.from('ping'))
    const s = await waitForStatus(
      (l) => tunnel.onStatus(l),
      (x) => x.state === 'closed',
    )
    assert.match(s.endReason ?? '', /inactivity/)
  })

  it('surfaces a dial failure as CONNECT_TO_PORT_FAILED and closes that connection', async () => {
    const { tunnel, port } = await open({}, {}, { rdsHost: 'unreachable.example.internal' }, false)
    const failed = waitForStatus(
      (l) => tunnel.onStatus(l),
      (s) => s.lastError?.code === 'CONNECT_TO_PORT_FAILED',
    )
    await assert.rejects(echoThrough(port, Buffer.from('hello')))
    const s = await failed
    assert.match(s.lastError!.message, /could not reach unreachable\.example\.internal:5432/)
    assert.equal(s.state, 'open', 'the tunnel itself stays open')
  })

  it('frees the local port on close and refuses a port in use', async () => {
    const { tunnel, port } = await open()
    const agent = await startFakeAgent()
    agents.push(agent)
    const clash = new Tunnel(testTarget({ localPort: port }), { api: agent.api, logger: silentLogger })
    await assert.rejects(clash.open(), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'PORT_IN_USE')
      assert.equal(e.message, `Local port ${port} is already in use`)
      return true
    })
    assert.equal(clash.status().state, 'failed')
    const closed = await tunnel.close()
    assert.equal(closed.state, 'closed')
    await assertPortFree(port)
  })
})

async function assertPortFree(port: number): Promise<void> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  await new Promise<void>((r) => server.close(() => r()))
}
