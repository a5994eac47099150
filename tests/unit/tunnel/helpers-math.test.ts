import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { chooseMode, isVersionGreater, supportsTerminateFlag } from '../../../electron/tunnel/agent-version'
import { backoffDelay, PLUGIN_RETRY } from '../../../electron/tunnel/backoff'
import { RtoEstimator } from '../../../electron/tunnel/rto'

describe('agent version rules (docs/protocol.md §6.1)', () => {
  it('compares like the plugin: same component count, numeric, strictly greater', () => {
    const table: Array<[string, string, boolean]> = [
      ['3.0.197.0', '3.0.196.0', true],
      ['3.0.196.0', '3.0.196.0', false],
      ['3.0.196', '3.0.196.0', false],
      ['3.0.196.0.1', '3.0.196.0', false],
      ['3.10.0.0', '3.9.999.0', true],
      ['3.1.1511.0', '3.1.1511.0', false],
      ['3.1.1512.0', '3.1.1511.0', true],
      ['3.x.1.0', '3.0.196.0', false],
      ['', '3.0.196.0', false],
      ['2.9.9999.9', '3.0.196.0', false],
    ]
    for (const [a, b, want] of table) assert.equal(isVersionGreater(a, b), want, `${a} > ${b}`)
  })

  it('chooses basic, mux + keepalive, or mux', () => {
    assert.deepEqual(chooseMode('3.0.196.0'), { mode: 'basic', keepalive: false })
    assert.deepEqual(chooseMode('garbage'), { mode: 'basic', keepalive: false })
    assert.deepEqual(chooseMode('3.0.197.0'), { mode: 'mux', keepalive: true })
    assert.deepEqual(chooseMode('3.1.1511.0'), { mode: 'mux', keepalive: true })
    assert.deepEqual(chooseMode('3.1.1512.0'), { mode: 'mux', keepalive: false })
    assert.deepEqual(chooseMode('3.3.987.0'), { mode: 'mux', keepalive: false })
    assert.equal(supportsTerminateFlag('2.3.722.0'), false)
    assert.equal(supportsTerminateFlag('2.3.723.0'), true)
  })
})

describe('RTO (Jacobson/Karels, docs/protocol.md §4.4)', () => {
  it('starts at 200 ms and follows the formulas', () => {
    const r = new RtoEstimator(0, 1000)
    assert.equal(r.rto, 200)
    r.sample(50) // rttvar = 0.25·|100−50| = 12.5, srtt = 87.5 + 6.25 = 93.75
    assert.equal(r.rttvar, 12.5)
    assert.equal(r.srtt, 93.75)
    assert.equal(r.rto, 93.75 + 50)
  })

  it('keeps the floor on loopback and the 1 s cap', () => {
    const r = new RtoEstimator(100, 1000)
    for (let i = 0; i < 50; i++) r.sample(1)
    assert.equal(r.rto, 100)
    for (let i = 0; i < 5; i++) r.sample(5000)
    assert.equal(r.rto, 1000)
  })
})

describe('reconnect backoff (plugin policy)', () => {
  it('starts at 100–199 ms, doubles, caps at 5 s', () => {
    assert.equal(
      backoffDelay(PLUGIN_RETRY, 0, () => 0),
      100,
    )
    assert.equal(
      backoffDelay(PLUGIN_RETRY, 0, () => 0.9999),
      199,
    )
    assert.equal(
      backoffDelay(PLUGIN_RETRY, 2, () => 0),
      400,
    )
    assert.equal(
      backoffDelay(PLUGIN_RETRY, 10, () => 0),
      5000,
    )
  })
})
