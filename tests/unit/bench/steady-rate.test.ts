// The pool bench's rate arithmetic (issue 16): a session may send ~1000 messages at once before its
// one-second window bites, so a 2 MB upload over 4 sessions once read as 18 MB/s. The steady rate
// must report the paced ~1 MB/s per session however large the opening burst.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type Arrival, ratesFrom } from '../../../bench/steady-rate'

/** One session's upload as the sink sees it: a burst of `burst` KB at once, then 1 KB per ms. */
function session(start: number, burst: number, pacedMs: number): Arrival[] {
  const out: Arrival[] = [{ at: start + 5, bytes: burst * 1000 }]
  // Slots free one second after the burst's acks: paced delivery starts then.
  for (let t = 1000; t < 1000 + pacedMs; t++) out.push({ at: start + t + 5, bytes: 1000 })
  return out
}

describe('bench steady rate', () => {
  it('a transfer that fits in the burst reads as a high whole rate but has no steady figure', () => {
    const r = ratesFrom(
      [0, 1, 2, 3].flatMap(() => session(0, 500, 0)),
      0,
    )
    assert.ok(r.whole > 100, `whole ${r.whole}`)
    assert.ok(Number.isNaN(r.steady), 'too short to call steady')
  })

  it('the steady rate of four paced sessions is ~4 MB/s: four sessions, never more', () => {
    const r = ratesFrom(
      [0, 1, 2, 3].flatMap(() => session(0, 990, 3000)),
      0,
    )
    assert.ok(Math.abs(r.steady - 4) < 0.05, `steady ${r.steady}`)
  })
})
