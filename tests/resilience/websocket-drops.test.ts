// Five forced WebSocket drops during a 100 MB transfer: every byte arrives intact (sha256) and the
// tunnel resumes by itself through ResumeSession. The service's per-session rate cap is raised so the
// 100 MB fit in a CI minute; the drop/resume path is the same as under the cap.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { connect } from 'node:net'
import { after, before, test } from 'node:test'
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
function echoStream(port: number, total: number, seed: number): Promise<{ sent: string; got: string }> {
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
      if (received === total) {
        s.destroy()
        resolve({ sent: sent.digest('hex'), got: got.digest('hex') })
      }
    })
    s.on('error', reject)
  })
}

test('100 MB through 8 streams survives 5 WebSocket drops with every byte intact', {
  timeout: 170_000,
}, async () => {
  const status = await fx.manager.connect(fx.echoTarget({ sessionPool: 4 }))
  const states: string[] = []
  fx.manager.onStatus((s) => states.push(s.state))
  const transfers = Array.from({ length: 8 }, (_, i) => echoStream(status.localPort!, 12_500_000, i + 1))
  let drops = 0
  const dropper = setInterval(() => {
    if (drops >= 5) return clearInterval(dropper)
    const id = status.sessionIds[drops % status.sessionIds.length]!
    fx.sim.agent.dropConnection(id)
    drops++
  }, 1500)
  const results = await Promise.all(transfers)
  clearInterval(dropper)
  assert.equal(drops, 5, 'all five drops happened during the transfer')
  for (const r of results) assert.equal(r.got, r.sent)
  assert.ok(states.includes('resuming'), 'the tunnel reported resuming')
  assert.equal(fx.manager.list()[0]?.state, 'open', 'and is open again')
})
