// Tunnel throughput: bulk echo through one SSM session with the simulator's service caps on
// (≤ 1024 B per message, ~1000 data messages/s) and a direct loopback echo as the baseline; then the
// session-pool matrix (pool-matrix.ts: 8 streams down/up/mixed over pools of 1/2/4/8, simulator in a
// child process). session-manager-plugin runs too when it is on PATH.
import { createHash, randomBytes } from 'node:crypto'
import { type AddressInfo, connect, createServer } from 'node:net'
import { createSsmSessionApi } from '../electron/aws/ssm-api'
import { silentLogger } from '../electron/base/logger'
import { findOnPath } from '../electron/tunnel/plugin-backend'
import { TunnelManager } from '../electron/tunnel/tunnel-manager'
import { startSimulator } from '../sim/index'
import { pluginUnavailable, startPluginSession } from '../tests/fixtures/aws-plugin-session'
import { testTarget } from '../tests/fixtures/test-target'
import { mbps, report, startEcho } from './bench-lib'
import { runPoolMatrix } from './pool-matrix'

/** Sends `bytes` through host:port and reads the echo back; resolves with elapsed ms. */
function echoOnce(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const hash = createHash('sha256')
    let got = 0
    // write, not end: SSM port forwarding has no half-close, a local FIN ends the stream (docs/protocol.md §6.2)
    const s = connect(port, '127.0.0.1', () => s.write(bytes))
    s.on('data', (d: Buffer) => {
      hash.update(d)
      got += d.length
      if (got === bytes.length) {
        const ok = hash.digest('hex') === createHash('sha256').update(bytes).digest('hex')
        s.destroy()
        ok ? resolve(performance.now() - started) : reject(new Error('echo corrupted'))
      }
    })
    s.on('error', reject)
  })
}

/** Uploads `bytes` to a sink behind host:port; resolves with ms until the sink holds them all. */
function uploadOnce(port: number, bytes: Buffer, received: () => number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const s = connect(port, '127.0.0.1', () => s.write(bytes))
    s.on('error', reject)
    const poll = setInterval(() => {
      if (received() < bytes.length) return
      clearInterval(poll)
      s.destroy()
      resolve(performance.now() - started)
    }, 5)
  })
}

// The spec's measured upload of AWS's session-manager-plugin through a service-faithful agent
// (docs/protocol.md §13.7 "Throughput anchors": 0.68–0.74 MB/s, its 1 ms sleep
// per message): the yardstick where the plugin is not installed; where it is, it also runs here.
const PLUGIN_UPLOAD_MBPS = 0.74
const pluginMissing = pluginUnavailable()

const size = Number(process.env.BENCH_MB ?? 4) * 1e6
let sunk = 0
const sink = createServer((s) =>
  s.on('data', (c: Buffer) => {
    sunk += c.length
  }),
)
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()))
const sinkPort = (sink.address() as AddressInfo).port
const echo = await startEcho()
const sim = await startSimulator({
  extraRoutes: [
    { host: 'echo.internal', port: 7, to: { host: '127.0.0.1', port: echo.port } },
    { host: 'sink.internal', port: 9, to: { host: '127.0.0.1', port: sinkPort } },
  ],
})
const api = createSsmSessionApi({
  region: sim.region,
  endpoint: sim.endpoint,
  credentials: async () => sim.credentials,
})
const manager = new TunnelManager({ apiFor: () => api, logger: silentLogger })
const rows: Array<Record<string, string | number>> = []
try {
  const payload = randomBytes(size)
  const direct = await echoOnce(echo.port, payload)
  rows.push({
    case: 'direct loopback echo',
    bytes: size,
    ms: Math.round(direct),
    'MB/s': mbps(size, direct),
    ratio: '1.00',
  })

  const one = await manager.connect(testTarget({ rdsHost: 'echo.internal', rdsPort: 7 }))
  const single = await echoOnce(one.localPort!, payload)
  rows.push({
    case: 'one session, caps on',
    bytes: size,
    ms: Math.round(single),
    'MB/s': mbps(size, single),
    ratio: (direct / single).toFixed(3),
  })

  // Upload only, first with a service that keeps up, then one that stalls its reader 250 ms every
  // 300 messages and reads the backlog at once; the simulator counts every violation of its cap.
  for (const stalls of [false, true]) {
    sim.faults.agent.readStallEveryMessages = stalls ? 300 : 0
    const up = await manager.connect(
      testTarget({ instanceId: sim.instances[0]!.instanceId, rdsHost: 'sink.internal', rdsPort: 9 }),
    )
    sunk = 0
    const ms = await uploadOnce(up.localPort!, payload, () => sunk)
    const counters = sim.agent.sessionInfo(up.sessionIds[0]!)
    rows.push({
      case: stalls ? 'upload only, service stalls 250 ms / 300 msgs' : 'upload only, caps on',
      bytes: size,
      ms: Math.round(ms),
      'MB/s': mbps(size, ms),
      ratio: `${(Number(mbps(size, ms)) / PLUGIN_UPLOAD_MBPS).toFixed(2)}× plugin; peak ${counters?.peakMessagesPerSecond}/s, ${counters?.rateViolations} violations`,
    })
    await manager.disconnect(up.targetId)
  }
  sim.faults.agent.readStallEveryMessages = 0
  rows.push({
    case: 'session-manager-plugin upload (spec anchor)',
    bytes: size,
    ms: Math.round(size / 1e3 / PLUGIN_UPLOAD_MBPS),
    'MB/s': PLUGIN_UPLOAD_MBPS.toFixed(2),
    ratio: '1.00× plugin',
  })
  // The same upload and echo through AWS's own aws CLI + session-manager-plugin, run here.
  if (!pluginMissing) {
    const instanceId = sim.instances[0]!.instanceId
    const peer = { endpoint: sim.endpoint, region: sim.region, credentials: sim.credentials, instanceId }
    const upload = await startPluginSession({ ...peer, host: 'sink.internal', port: 9 })
    sunk = 0
    const ms = await uploadOnce(upload.localPort, payload, () => sunk)
    const counters = sim.agent.sessionInfo(upload.sessionId)
    await upload.close()
    rows.push({
      case: 'session-manager-plugin upload (run here)',
      bytes: size,
      ms: Math.round(ms),
      'MB/s': mbps(size, ms),
      ratio: `Porthole ${(Number(rows.find((r) => r.case === 'upload only, caps on')?.['MB/s']) / Number(mbps(size, ms))).toFixed(2)}× this; peak ${counters?.peakMessagesPerSecond}/s, ${counters?.rateViolations} violations`,
    })
    const both = await startPluginSession({ ...peer, host: 'echo.internal', port: 7 })
    const echoMs = await echoOnce(both.localPort, payload)
    await both.close()
    rows.push({
      case: 'session-manager-plugin echo (run here)',
      bytes: size,
      ms: Math.round(echoMs),
      'MB/s': mbps(size, echoMs),
      ratio: `Porthole one session ${(echoMs / single).toFixed(2)}× this`,
    })
  }
} finally {
  await manager.closeAll()
  api.destroy()
  await sim.close()
  echo.server.close()
  sink.close()
}
report('tunnel-throughput', rows, [
  'MB/s counts payload bytes echoed (sent up and read back concurrently); ratio = direct time / case time.',
  pluginMissing
    ? `AWS's plugin not run: ${pluginMissing}`
    : `AWS's plugin (${findOnPath('session-manager-plugin')}) ran through the same simulator; our client shares this process with the simulator, the plugin does not`,
])

const perSession = Number(process.env.BENCH_POOL_MB ?? 3) * 1e6
report('tunnel-pool', await runPoolMatrix(perSession), [
  `8 parallel streams moving ${perSession / 1e6} MB per pool session in total (pool 4: ${(4 * perSession) / 1e6} MB); bytes counted where they land (uploads at the destination behind the agent).`,
  'MB/s steady leaves out the first second, in which each session may burst up to its window of ~1000 messages; × one session = steady MB/s / pool-1 steady MB/s of the same case.',
  'peak msg/s/session is the highest count in any one-second window of one session; violations are summed over the pool.',
  'The simulator runs in a child process (bench/sim-child.ts) so it does not share the client JS thread.',
])
