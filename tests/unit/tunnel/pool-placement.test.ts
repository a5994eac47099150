import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  INBOUND_HORIZON_S,
  loadScore,
  pickSession,
  type SessionLoad,
  STREAM_WEIGHT_BYTES,
} from '../../../electron/tunnel/pool-placement'
import { RateMeter } from '../../../electron/tunnel/rate-meter'

const idle = (over: Partial<SessionLoad> = {}): SessionLoad => ({
  openStreams: 0,
  bytesInFlight: 0,
  inRate: 0,
  accepting: true,
  ...over,
})

describe('pool placement (least work in flight)', () => {
  it('prefers an idle session over one with open streams', () => {
    assert.equal(pickSession([idle({ openStreams: 1 }), idle()]), 1)
  })

  it('puts a new stream beside many idle streams rather than beside one busy upload', () => {
    // Stream counting would pick session 0; 5 idle psql connections weigh less than 1 MB unacked.
    const busyUpload = idle({ openStreams: 1, bytesInFlight: 1_000_000 })
    const idleConnections = idle({ openStreams: 5 })
    assert.equal(pickSession([busyUpload, idleConnections]), 1)
  })

  it('counts a download by its inbound rate even when nothing is queued on our side', () => {
    const downloading = idle({ openStreams: 1, inRate: 900_000 })
    const uploading = idle({ openStreams: 1, bytesInFlight: 200_000 })
    assert.equal(pickSession([downloading, uploading]), 1)
    assert.equal(loadScore(downloading), 900_000 * INBOUND_HORIZON_S + STREAM_WEIGHT_BYTES)
  })

  it('skips draining or ended sessions, even when they are the least loaded', () => {
    assert.equal(pickSession([idle({ accepting: false }), idle({ bytesInFlight: 5_000_000 })]), 1)
    assert.equal(pickSession([idle({ accepting: false })]), -1)
    assert.equal(pickSession([]), -1)
  })

  it('breaks ties by fewer streams, then by order (stable)', () => {
    // Same score: 1 stream + 0 bytes vs 0 streams + one stream weight of bytes.
    const a = idle({ openStreams: 1 })
    const b = idle({ bytesInFlight: STREAM_WEIGHT_BYTES })
    assert.equal(loadScore(a), loadScore(b))
    assert.equal(pickSession([a, b]), 1)
    assert.equal(pickSession([idle(), idle(), idle()]), 0)
  })

  it('spreads 8 new streams evenly over 4 idle sessions when each placement adds its weight', () => {
    const loads = Array.from({ length: 4 }, () => idle())
    const placed: number[] = []
    for (let n = 0; n < 8; n++) {
      const i = pickSession(loads)
      placed.push(i)
      loads[i]!.openStreams++
    }
    assert.deepEqual(placed, [0, 1, 2, 3, 0, 1, 2, 3])
  })

  it('spreads 8 uploads arriving at once evenly even when some have queued their bytes already', () => {
    // Issue 16's bench: a stream's 1.5 MB shows in its session's queue only a little after it was
    // placed; a session whose new stream had not queued yet looked idle and took a third stream.
    const loads = Array.from({ length: 4 }, () => idle())
    const shows: Array<{ at: number; session: number }> = []
    for (let n = 0; n < 8; n++) {
      for (const s of shows.filter((x) => x.at === n)) loads[s.session]!.bytesInFlight += 1_500_000
      const i = pickSession(loads)
      loads[i]!.openStreams++
      loads[i]!.newStreams = (loads[i]!.newStreams ?? 0) + 1
      // Odd streams' bytes show at once (next placement), even streams' only after the burst.
      shows.push({ at: n % 2 ? n + 1 : 99, session: i })
    }
    assert.deepEqual(
      loads.map((l) => l.openStreams),
      [2, 2, 2, 2],
    )
  })
})

describe('RateMeter (EWMA of bytes per second)', () => {
  it('converges to a steady rate and decays to zero when idle', () => {
    let t = 0
    const m = new RateMeter(1000, () => t)
    for (let i = 0; i < 5000; i++) {
      t += 1
      m.add(1000) // 1000 bytes every ms = 1 MB/s
    }
    assert.ok(Math.abs(m.perSecond - 1_000_000) < 20_000, `rate ${m.perSecond}`)
    t += 10_000
    assert.ok(m.perSecond < 100, `decayed ${m.perSecond}`)
  })
})
