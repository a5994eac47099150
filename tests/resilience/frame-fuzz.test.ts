// 100k random and mutated frames fed to the client's decoder and to a live DataChannel state
// machine: nothing throws out, nothing hangs, memory stays bounded. Valid seeds come from the
// independent spec oracle, so mutations start from frames the real service would send.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { DataChannel } from '../../electron/tunnel/data-channel'
import { decodeClientMessage } from '../../electron/tunnel/ssm-message-codec'
import {
  buildChannelClosed,
  buildFrame,
  PAYLOAD_TYPE,
  SMUX,
  smuxFrame,
  VECTORS,
} from '../fixtures/ssm-spec-frames'

const seeds: Buffer[] = [
  Buffer.from(VECTORS.V1.hex, 'hex'),
  Buffer.from(VECTORS.V6.hex, 'hex'),
  buildChannelClosed({ Output: 'bye', SessionId: 's' }),
  ...[0n, 1n, 2n, 3n].map((seq) =>
    buildFrame({
      messageType: 'output_stream_data',
      sequenceNumber: seq,
      flags: seq === 0n ? 1n : 0n,
      messageId: '00112233-4455-6677-8899-aabbccddeeff',
      createdDate: 1700000000000n,
      payloadType: seq < 2n ? PAYLOAD_TYPE.HandshakeComplete : PAYLOAD_TYPE.Output,
      payload:
        seq < 2n
          ? Buffer.from('{"HandshakeTimeToComplete":1,"CustomerMessage":""}')
          : smuxFrame(SMUX.PSH, 3, Buffer.from('data')),
    }),
  ),
]

const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.nat(),
    fc.boolean(),
  )
  .map(([seed, edits, cut, truncate]) => {
    const b = Buffer.from(seed)
    for (const [at, v] of edits) b[at % b.length] = v
    return truncate ? b.subarray(0, cut % (b.length + 1)) : b
  })
const frames = fc.oneof(
  mutated,
  fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
)

test('100k random and mutated frames: no throw, no hang, bounded memory', { timeout: 170_000 }, () => {
  const sent: Buffer[] = []
  const channel = new DataChannel({ output: () => {} }, { incomingCapacity: 1000 })
  channel.attach((f) => {
    if (sent.length < 1000) sent.push(f)
    return true
  })
  const heapBefore = process.memoryUsage().heapUsed
  let decoded = 0
  fc.assert(
    fc.property(frames, (frame) => {
      const r = decodeClientMessage(frame)
      if (r.ok) decoded++
      channel.receive(frame) // must swallow garbage: malformed frames are dropped and logged
      return true
    }),
    { numRuns: 100_000 },
  )
  channel.stop()
  const growth = process.memoryUsage().heapUsed - heapBefore
  assert.ok(decoded > 0, 'some mutated frames stay valid (the fuzzer reaches the state machine)')
  assert.ok(growth < 200 * 1024 * 1024, `heap grew ${Math.round(growth / 1e6)} MB`)
})
