import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  encodeFin,
  encodeNop,
  encodePsh,
  encodeSyn,
  SmuxCmd,
  type SmuxFrame,
  SmuxParser,
} from '../../../electron/tunnel/smux-codec'
import { SMUX, smuxFrame, VECTORS } from '../../fixtures/ssm-spec-frames'

describe('smux-codec', () => {
  it('serializes SYN/FIN/NOP/PSH like the oracle', () => {
    assert.equal(encodeSyn(3).toString('hex'), VECTORS.smuxSynSid3)
    assert.deepEqual(encodeFin(5), smuxFrame(SMUX.FIN, 5))
    assert.equal(encodeNop().toString('hex'), '0103000000000000')
    assert.deepEqual(encodePsh(7, Buffer.from('abc')), [smuxFrame(SMUX.PSH, 7, Buffer.from('abc'))])
  })

  it('splits PSH data at 32768 bytes', () => {
    const data = Buffer.alloc(70000, 7)
    const frames = encodePsh(3, data)
    assert.deepEqual(
      frames.map((f) => f.length - 8),
      [32768, 32768, 70000 - 65536],
    )
    assert.deepEqual(frames[0], smuxFrame(SMUX.PSH, 3, data.subarray(0, 32768)))
    assert.equal(encodePsh(3, Buffer.alloc(0)).length, 0)
  })

  it('parses a stream cut at every split point', () => {
    const stream = Buffer.concat([
      smuxFrame(SMUX.SYN, 3),
      smuxFrame(SMUX.PSH, 3, Buffer.from('hello world')),
      smuxFrame(SMUX.NOP, 0),
      smuxFrame(SMUX.PSH, 5, Buffer.alloc(300, 1)),
      smuxFrame(SMUX.FIN, 3),
    ])
    const expect: SmuxFrame[] = [
      { cmd: SmuxCmd.SYN, sid: 3, data: Buffer.alloc(0) },
      { cmd: SmuxCmd.PSH, sid: 3, data: Buffer.from('hello world') },
      { cmd: SmuxCmd.NOP, sid: 0, data: Buffer.alloc(0) },
      { cmd: SmuxCmd.PSH, sid: 5, data: Buffer.alloc(300, 1) },
      { cmd: SmuxCmd.FIN, sid: 3, data: Buffer.alloc(0) },
    ]
    for (let a = 0; a <= stream.length; a++) {
      for (const b of [a, Math.min(stream.length, a + 1), Math.min(stream.length, a + 9)]) {
        const p = new SmuxParser()
        const got = [
          ...p.push(stream.subarray(0, a)).frames,
          ...p.push(stream.subarray(a, b)).frames,
          ...p.push(stream.subarray(b)).frames,
        ]
        assert.deepEqual(got, expect, `split at ${a}/${b}`)
      }
    }
  })

  it('byte-at-a-time feeding yields the same frames', () => {
    const stream = Buffer.concat([smuxFrame(SMUX.PSH, 9, Buffer.from('xyz')), smuxFrame(SMUX.FIN, 9)])
    const p = new SmuxParser()
    const got: SmuxFrame[] = []
    for (const byte of stream) got.push(...p.push(Buffer.from([byte])).frames)
    assert.equal(got.length, 2)
    assert.equal(got[0]!.data.toString(), 'xyz')
  })

  it('treats a wrong version or unknown command as a protocol error', () => {
    const bad = Buffer.from(smuxFrame(SMUX.SYN, 3))
    bad[0] = 2
    assert.match(new SmuxParser().push(bad).error ?? '', /protocol error/)
    const unknown = Buffer.from(smuxFrame(SMUX.SYN, 3))
    unknown[1] = 9
    const p = new SmuxParser()
    assert.ok(p.push(unknown).error)
    assert.ok(p.push(smuxFrame(SMUX.SYN, 3)).error, 'stays failed')
  })
})
