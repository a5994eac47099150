import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { DataChannel, type DataChannelHandlers } from '../../../electron/tunnel/data-channel'
import {
  ackPayload,
  buildChannelClosed,
  buildFrame,
  parseFrame,
  VECTORS,
} from '../../fixtures/ssm-spec-frames'

function output(seq: number, payloadType: number, payload: Buffer, id = randomUUID()): Buffer {
  return buildFrame({
    messageType: 'output_stream_data',
    sequenceNumber: BigInt(seq),
    flags: seq === 0 ? 1n : 0n,
    messageId: id,
    createdDate: 1700000000000n,
    payloadType,
    payload,
  })
}

function agentAck(seq: number): Buffer {
  return buildFrame({
    messageType: 'acknowledge',
    sequenceNumber: 0n,
    flags: 3n,
    messageId: randomUUID(),
    createdDate: 1700000000000n,
    payloadType: 0,
    payload: ackPayload({ messageType: 'input_stream_data', messageId: randomUUID(), sequenceNumber: seq }),
  })
}

const complete = () => output(1, 7, Buffer.from('{"HandshakeTimeToComplete":1,"CustomerMessage":""}'))

/** A channel wired to an in-memory "socket" with a controllable clock. */
function harness(handlers: DataChannelHandlers = {}) {
  let now = 1000
  const sent: ReturnType<typeof parseFrame>[] = []
  const dc = new DataChannel(handlers, { now: () => now, ratePerSec: 1e6, windowMessages: 10 })
  dc.attach((f) => {
    sent.push(parseFrame(f))
    return true
  })
  return { dc, sent, advance: (ms: number) => (now += ms) }
}

describe('data channel state machine', () => {
  it('acks the HandshakeRequest first, then answers it (V6), then sends data only after HandshakeComplete', () => {
    const versions: string[] = []
    const { dc, sent } = harness({ handshake: (r) => versions.push(r.agentVersion) })
    dc.write(Buffer.from('early'))
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    assert.equal(sent[0]!.messageType, 'acknowledge')
    assert.equal(sent[0]!.payload.toString(), VECTORS.V6.expectedAck)
    assert.equal(sent[1]!.messageType, 'input_stream_data')
    assert.equal(sent[1]!.sequenceNumber, 0n)
    assert.equal(sent[1]!.payloadType, 6)
    const response = JSON.parse(sent[1]!.payload.toString())
    assert.equal(response.ClientVersion, '1.2.650.0')
    assert.deepEqual(response.ProcessedClientActions, [
      { ActionType: 'SessionType', ActionStatus: 1, ActionResult: null, Error: '' },
    ])
    assert.equal(sent.length, 2, 'no data before HandshakeComplete')
    assert.deepEqual(versions, ['3.3.987.0'])
    dc.receive(complete())
    assert.equal(sent[2]!.messageType, 'acknowledge')
    assert.equal(sent[3]!.payloadType, 1)
    assert.equal(sent[3]!.sequenceNumber, 1n)
    assert.equal(sent[3]!.payload.toString(), 'early')
  })

  it('answers unknown actions and KMSEncryption with ActionStatus 3 and an Error', () => {
    const { dc, sent } = harness()
    const hs = {
      AgentVersion: '3.3.987.0',
      RequestedClientActions: [
        { ActionType: 'SessionType', ActionParameters: { SessionType: 'Port', Properties: {} } },
        { ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'k' } },
        { ActionType: 'Teleport', ActionParameters: {} },
      ],
    }
    dc.receive(output(0, 5, Buffer.from(JSON.stringify(hs))))
    const actions = JSON.parse(sent[1]!.payload.toString()).ProcessedClientActions
    assert.deepEqual(
      actions.map((a: { ActionStatus: number }) => a.ActionStatus),
      [1, 3, 3],
    )
    assert.ok(actions[1].Error && actions[2].Error)
  })

  it('buffers out-of-order output, delivers in order, re-acks duplicates', () => {
    const got: string[] = []
    const { dc, sent } = harness({ output: (d) => got.push(d.toString()) })
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    dc.receive(complete())
    sent.length = 0
    dc.receive(output(3, 1, Buffer.from('c')))
    dc.receive(output(4, 1, Buffer.from('d')))
    assert.deepEqual(got, [])
    assert.equal(sent.filter((m) => m.messageType === 'acknowledge').length, 2, 'out-of-order acked')
    dc.receive(output(2, 1, Buffer.from('b')))
    assert.deepEqual(got, ['b', 'c', 'd'])
    dc.receive(output(3, 1, Buffer.from('c')))
    assert.deepEqual(got, ['b', 'c', 'd'], 'duplicate not delivered')
    const last = sent.at(-1)!
    assert.equal(last.messageType, 'acknowledge')
    assert.equal(
      JSON.parse(last.payload.toString()).AcknowledgedMessageSequenceNumber,
      3,
      'duplicate re-acked',
    )
    assert.equal(dc.stats.duplicates, 1)
  })

  it('leaves output unacked while the relay is not ready (basic mode before a connection)', () => {
    let ready = false
    const got: string[] = []
    const { dc, sent } = harness({ acceptOutput: () => ready, output: (d) => got.push(d.toString()) })
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    dc.receive(complete())
    sent.length = 0
    dc.receive(output(2, 1, Buffer.from('greeting')))
    assert.equal(sent.length, 0, 'no ack')
    ready = true
    dc.receive(output(2, 1, Buffer.from('greeting')))
    assert.deepEqual(got, ['greeting'])
    assert.equal(sent.length, 1)
  })

  it('retransmits unacked input after the RTO, keeps messages whose send failed, stops on ack', () => {
    const { dc, sent, advance } = harness()
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    dc.receive(agentAck(0))
    dc.receive(complete())
    sent.length = 0
    dc.write(Buffer.from('x'))
    assert.equal(sent.length, 1)
    dc.tick()
    assert.equal(sent.length, 1, 'not before the RTO')
    advance(250)
    dc.tick()
    assert.equal(sent.length, 2, 'resent after 200 ms')
    assert.deepEqual(sent[1], sent[0], 'same bytes, seq and id')
    dc.detach()
    dc.write(Buffer.from('y')) // no socket: kept for later
    assert.equal(dc.pending, 2)
    const resent: ReturnType<typeof parseFrame>[] = []
    dc.attach((f) => {
      resent.push(parseFrame(f))
      return true
    })
    assert.deepEqual(
      resent.map((m) => m.payload.toString()),
      ['x', 'y'],
      'everything unacked goes out again on a new socket',
    )
    dc.receive(agentAck(1))
    dc.receive(agentAck(2))
    assert.equal(dc.unacked, 0)
    advance(5000)
    dc.tick()
    assert.equal(resent.length, 2)
  })

  it('keeps a message whose send failed and sends it on the next socket (docs/protocol.md §13.2)', () => {
    const { dc, sent } = harness()
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    dc.receive(agentAck(0))
    dc.receive(complete())
    dc.attach(() => false) // a socket that is already closing
    dc.write(Buffer.from('lost?'))
    assert.equal(dc.unacked, 1)
    sent.length = 0
    dc.attach((f) => {
      sent.push(parseFrame(f))
      return true
    })
    assert.equal(sent.length, 1)
    assert.equal(sent[0]!.payload.toString(), 'lost?')
    assert.equal(sent[0]!.sequenceNumber, 1n)
  })

  it('output delivered while the socket dies is not delivered again when the agent resends it', () => {
    // AWS's plugin writes the payload, then returns before advancing its expected sequence number
    // when the ack cannot be sent (the WebSocket just dropped); the agent's resend after the resume
    // is written a second time (docs/simulator.md). Ours counts a message as received once delivered.
    const got: string[] = []
    const { dc, sent } = harness({ output: (d) => got.push(d.toString()) })
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    dc.receive(complete())
    dc.attach(() => false) // the ack for seq 2 cannot go out
    dc.receive(output(2, 1, Buffer.from('once')))
    assert.deepEqual(got, ['once'])
    sent.length = 0
    dc.attach((f) => {
      sent.push(parseFrame(f))
      return true
    })
    dc.receive(output(2, 1, Buffer.from('once'))) // the agent never saw an ack: it resends
    dc.receive(output(3, 1, Buffer.from('next')))
    assert.deepEqual(got, ['once', 'next'], 'the resent message is not delivered twice')
    const acked = sent
      .filter((m) => m.messageType === 'acknowledge')
      .map((m) => JSON.parse(m.payload.toString()).AcknowledgedMessageSequenceNumber)
    assert.deepEqual(acked, [2, 3], 'the resend is acked this time, so the agent stops resending')
  })

  it('splits writes at 1024 bytes and signals backpressure, then drain', () => {
    let drained = 0
    const { dc, sent } = harness({ drain: () => drained++ })
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    dc.receive(agentAck(0))
    dc.receive(complete())
    sent.length = 0
    assert.equal(dc.write(Buffer.alloc(1024 * 12, 1)), false, 'window of 10 exceeded')
    assert.ok(sent.every((m) => m.payload.length <= 1024))
    for (let s = 1; s <= 12; s++) dc.receive(agentAck(s))
    assert.equal(drained, 1)
  })

  it('stops sending on pause_publication and resumes on start_publication', () => {
    const { dc, sent } = harness()
    dc.receive(Buffer.from(VECTORS.V6.hex, 'hex'))
    dc.receive(complete())
    const pause = buildFrame({
      messageType: 'pause_publication',
      sequenceNumber: 0n,
      flags: 0n,
      messageId: randomUUID(),
      createdDate: 0n,
      payloadType: 0,
      payload: Buffer.from('{}'),
    })
    dc.receive(pause)
    const before = sent.length
    dc.write(Buffer.from('held'))
    assert.equal(sent.length, before)
    const start = Buffer.from(pause)
    start.write('start_publication', 4, 'ascii')
    dc.receive(start)
    assert.equal(sent.at(-1)!.payload.toString(), 'held')
  })

  it('reports channel_closed (HL 112) with its Output and ignores unknown types and garbage', () => {
    const closed: string[] = []
    const { dc } = harness({ closed: (c) => closed.push(c.output) })
    dc.receive(Buffer.from('garbage'))
    dc.receive(
      buildFrame({
        messageType: 'agent_session_state',
        sequenceNumber: 0n,
        flags: 0n,
        messageId: randomUUID(),
        createdDate: 1n,
        payloadType: 0,
        payload: Buffer.from('{}'),
      }),
    )
    dc.receive(buildChannelClosed({ MessageType: 'channel_closed', Output: 'Session idle timeout' }))
    assert.deepEqual(closed, ['Session idle timeout'])
    assert.equal(dc.stats.malformed, 1)
  })
})
