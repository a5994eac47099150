// Tunnel throughput: bulk echo through one SSM session with the simulator's service caps on
// (≤ 1024 B per message, ~1000 data messages/s), 8 parallel streams over a pool of 4 sessions, and a
// direct loopback echo as the baseline. session-manager-plugin runs too when it is on PATH.
import { createHash, randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { createSsmSessionApi } from '../electron/aws/ssm-api'
import { silentLogger } from '../electron/base/logger'
import { findOnPath } from '../electron/tunnel/plugin-backend'
import { TunnelManager } from '../electron/tunnel/tunnel-manager'
import { startSimulator } from '../sim/index'
import { testTarget } from '../tests/fixtures/test-target'
import { mbps, report, startEcho } from './bench-lib'

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

const size = Number(process.env.BENCH_MB ?? 4) * 1e6
const echo = await startEcho()
const sim = await startSimulator({
  extraRoutes: [{ host: 'echo.internal', port: 7, to: { host: '127.0.0.1', port: echo.port } }],
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

  const pool = await manager.connect(testTarget({ rdsHost: 'echo.internal', rdsPort: 7, sessionPool: 4 }))
  const part = payload.subarray(0, Math.floor(size / 8))
  const t0 = performance.now()
  await Promise.all(Array.from({ length: 8 }, () => echoOnce(pool.localPort!, part)))
  const parallel = performance.now() - t0
  rows.push({
    case: '8 streams, pool of 4',
    bytes: part.length * 8,
    ms: Math.round(parallel),
    'MB/s': mbps(part.length * 8, parallel),
    ratio: (direct / parallel).toFixed(3),
  })
} finally {
  await manager.closeAll()
  api.destroy()
  await sim.close()
  echo.server.close()
}
const plugin = findOnPath('session-manager-plugin')
report('tunnel-throughput', rows, [
  'MB/s counts payload bytes echoed (sent up and read back concurrently); ratio = direct time / case time.',
  plugin
    ? `session-manager-plugin found at ${plugin}: not benchmarked yet`
    : 'session-manager-plugin not on PATH: skipped',
])
