// Five forced WebSocket drops during a multi-stream transfer: every byte arrives intact (sha256) and
// the tunnel resumes by itself through ResumeSession. The drops are injected at byte counts (not on
// a timer) so they land mid-transfer however busy the machine is, and the test fails on a stall (no
// byte for a minute), not on a deadline. The 100 MB volume run lives in bench/tunnel-throughput.ts.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { connect } from 'node:net'
import { after, before, test } from 'node:test'
import { DEFAULT_STALL_MS, watchForStall } from '../fixtures/wait-for'
import { type SimFixture, startSimFixture } from './sim-fixture'

let fx: SimFixture
before(async () => {
  fx = await startSimFixture(
    { agent: { maxMessagesPerSecond: 1_000_000 } },
    { dataChannel: { ratePerSec: 20_000 } },
  )
})
after(() => fx.close())

/** Streams `total` pseudo-random bytes through the echo and resolves with both digests. */
function echoStream(
  port: number,
  total: number,
  seed: number,
  onBytes: (n: number) => void,
): Promise<{ sent: string; got: string }> {
  return new Promise((resolve, reject) => {
    const sent = createHash('sha256')
    const got = createHash('sha256')
    let received = 0
    let written = 0
    let x = seed
    const chunk = () => {
      const b = Buffer.allocUnsafe(64 * 1024)
      for (let i = 0; i < b.length; i += 4) {
        x = (x * 1103515245 + 12345) >>> 0
        b.writeUInt32LE(x, i)
      }
      return b
    }
    const s = connect(port, '127.0.0.1')
    const pump = () => {
      while (written < total) {
        const b = chunk().subarray(0, Math.min(64 * 1024, total - written))
        written += b.length
        sent.update(b)
        if (!s.write(b)) return void s.once('drain', pump)
      }
    }
    s.on('connect', pump)
    s.on('data', (d: Buffer) => {
      got.update(d)
      received += d.length
      onBytes(d.length)
      if (received === total) {
        s.destroy()
        resolve({ sent: sent.digest('hex'), got: got.digest('hex') })
      }
    })
    s.on('error', reject)
  })
}

test('8 streams survive 5 WebSocket drops with every byte intact', async () => {
  const status = await fx.manager.connect(fx.echoTarget({ sessionPool: 4 }))
  const states: string[] = []
  fx.manager.onStatus((s) => states.push(s.state))
  const perStream = 1_500_000
  const total = 8 * perStream
  let received = 0
  let drops = 0
  const watch = watchForStall(
    '8-stream echo',
    DEFAULT_STALL_MS,
    () => `${received}/${total} bytes, ${drops} drops`,
  )
  // One drop after each further ~1/7 of the bytes has come back: all five happen mid-transfer.
  const onBytes = (n: number) => {
    received += n
    watch.tick()
    if (drops < 5 && received >= ((drops + 1) * total) / 7) {
      fx.sim.agent.dropConnection(status.sessionIds[drops % status.sessionIds.length]!)
      drops++
    }
  }
  const transfers = Array.from({ length: 8 }, (_, i) =>
    echoStream(status.localPort!, perStream, i + 1, onBytes),
  )
  const results = await Promise.race([Promise.all(transfers), watch.stalled])
  watch.stop()
  assert.equal(drops, 5, 'all five drops happened during the transfer')
  for (const r of results) assert.equal(r.got, r.sent)
  assert.ok(states.includes('resuming'), 'the tunnel reported resuming')
  assert.equal(fx.manager.list()[0]?.state, 'open', 'and is open again')
})
