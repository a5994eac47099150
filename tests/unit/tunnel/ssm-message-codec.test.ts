import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  decodeClientMessage,
  encodeAck,
  encodeClientMessage,
  MessageType,
  PayloadType,
} from '../../../electron/tunnel/ssm-message-codec'
import {
  ackPayload,
  buildChannelClosed,
  buildFrame,
  flagPayload,
  parseFrame,
  VECTORS,
} from '../../fixtures/ssm-spec-frames'

describe('ssm-message-codec', () => {
  it('encodes V1 byte for byte', () => {
    const out = encodeClientMessage({
      messageType: 'input_stream_data',
      sequenceNumber: 1,
      flags: 0,
      payloadType: PayloadType.Output,
      payload: Buffer.from('hello'),
      messageId: VECTORS.V1.messageId,
      createdDate: Number(VECTORS.createdDate),
    })
    assert.equal(out.toString('hex'), VECTORS.V1.hex)
  })

  it('matches the oracle for arbitrary messages', () => {
    for (const [seq, size] of [
      [0, 1],
      [7, 1024],
      [123456789, 300],
    ] as const) {
      const payload = Buffer.alloc(size, seq % 251)
      const id = '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9'
      const mine = encodeClientMessage({
        messageType: 'input_stream_data',
        sequenceNumber: seq,
        flags: 0,
        payloadType: PayloadType.Flag,
        payload,
        messageId: id,
        createdDate: 1700000000123,
      })
      const oracle = buildFrame({
        messageType: 'input_stream_data',
        sequenceNumber: BigInt(seq),
        flags: 0n,
        messageId: id,
        createdDate: 1700000000123n,
        payloadType: PayloadType.Flag,
        payload,
      })
      assert.deepEqual(mine, oracle)
    }
  })

  it('decodes V6 (agent HandshakeRequest)', () => {
    const r = decodeClientMessage(Buffer.from(VECTORS.V6.hex, 'hex'))
    assert.ok(r.ok)
    assert.equal(r.message.messageType, 'output_stream_data')
    assert.equal(r.message.sequenceNumber, 0)
    assert.equal(r.message.flags, 1)
    assert.equal(r.message.messageId, VECTORS.V6.messageId)
    assert.equal(r.message.payloadType, PayloadType.HandshakeRequest)
    assert.equal(r.message.payloadLength, 210)
    assert.equal(r.message.payload.length, 210)
    assert.match(r.message.payload.toString(), /"AgentVersion":"3.3.987.0"/)
  })

  it('acks V6 with the expected payload, seq 0, flags 3, PT 0', () => {
    const r = decodeClientMessage(Buffer.from(VECTORS.V6.hex, 'hex'))
    assert.ok(r.ok)
    const ack = parseFrame(encodeAck(r.message))
    assert.equal(ack.messageType, 'acknowledge')
    assert.equal(ack.sequenceNumber, 0n)
    assert.equal(ack.flags, 3n)
    assert.equal(ack.payloadType, 0)
    assert.equal(ack.headerLength, 116)
    assert.ok(ack.digestOk)
    assert.equal(ack.payload.toString(), VECTORS.V6.expectedAck)
    assert.deepEqual(
      ack.payload,
      ackPayload({ messageType: 'output_stream_data', messageId: VECTORS.V6.messageId, sequenceNumber: 0 }),
    )
  })

  it('decodes the service channel_closed with HeaderLength 112 and a NUL-padded type', () => {
    const json = { MessageType: 'channel_closed', SessionId: 's-1', Output: 'Session idle timeout' }
    const r = decodeClientMessage(buildChannelClosed(json))
    assert.ok(r.ok, r.ok ? '' : r.error)
    assert.equal(r.message.messageType, MessageType.ChannelClosed)
    assert.equal(r.message.headerLength, 112)
    assert.equal(r.message.payloadType, 0)
    assert.deepEqual(JSON.parse(r.message.payload.toString()), json)
  })

  it('accepts start_publication with bogus length and digest', () => {
    const f = buildFrame({
      messageType: 'start_publication',
      sequenceNumber: 0n,
      flags: 0n,
      messageId: VECTORS.V1.messageId,
      createdDate: 0n,
      payloadType: 0,
      payload: Buffer.from('x'),
    })
    f.writeUInt32LE(9999, 116)
    f.fill(0xab, 80, 112)
    const r = decodeClientMessage(f)
    assert.ok(r.ok)
    assert.equal(r.message.messageType, 'start_publication')
  })

  it('returns errors (never throws) for truncated, garbage and tampered frames', () => {
    const v1 = Buffer.from(VECTORS.V1.hex, 'hex')
    for (let n = 0; n < v1.length; n++) {
      const r = decodeClientMessage(v1.subarray(0, n))
      if (n < 116) assert.equal(r.ok, false, `truncated to ${n}`)
      else if (r.ok) assert.fail(`truncated to ${n} decoded`)
    }
    const tampered = Buffer.from(v1)
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1)
    assert.equal(decodeClientMessage(tampered).ok, false)
    const huge = Buffer.from(v1)
    huge.writeUInt32BE(0xffffffff, 0)
    assert.equal(decodeClientMessage(huge).ok, false)
    for (let i = 0; i < 200; i++) {
      const junk = Buffer.from(
        createHash('sha256')
          .update(String(i))
          .digest()
          .toString('hex')
          .repeat(i % 6),
      )
      assert.doesNotThrow(() => decodeClientMessage(junk))
    }
  })

  it('flag payloads are 4-byte big-endian', () => {
    const f = encodeClientMessage({
      messageType: 'input_stream_data',
      sequenceNumber: 3,
      flags: 0,
      payloadType: PayloadType.Flag,
      payload: flagPayload(2),
    })
    assert.equal(parseFrame(f).payload.toString('hex'), '00000002')
  })
})
