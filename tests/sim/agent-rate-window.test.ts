// Issue 12: the simulated service counts data messages in a SLIDING one-second window of arrival
// times, as a rate cap does, so a burst straddling two fixed seconds is still caught. Virtual times.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SlidingRateWindow } from '../../sim/agent/rate-window'

test('counts arrivals in any one-second window, not in fixed seconds', () => {
  const w = new SlidingRateWindow()
  assert.equal(w.record(0), 1)
  for (let i = 0; i < 15; i++) w.record(900)
  // A fixed window starting at 0 would restart at 1000 and see 15; the sliding one sees 30.
  let last = 0
  for (let i = 0; i < 15; i++) last = w.record(1100)
  assert.equal(last, 30)
  assert.equal(w.peak, 31 - 1) // the arrival at 0 left the window at 1000
  assert.equal(w.record(1900), 16) // 900 left at 1900 exactly; 1100's 15 plus this one
  assert.equal(w.record(2100), 2)
})
