// Each fault switch of the simulated agent/service observed to act, over real sockets.
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { buildFrame, PAYLOAD_TYPE, SMUX, smuxFrame } from '../fixtures/ssm-spec-frames'
import { AgentTestClient, startAgentFixture } from './agent-test-client'

/** PSH payload bytes of `sid` in the agent's smux output. */
function echoed(bytes: Buffer, sid = 3): Buffer {
  const parts: Buffer[] = []
  for (let off = 0; off + 8 <= bytes.length; ) {
    const cmd = bytes[off + 1]
    const len = cmd === SMUX.PSH ? bytes.readUInt16LE(off + 2) : 0
    if (cmd === SMUX.PSH && bytes.readUInt32LE(off + 4) === sid)
      parts.push(bytes.subarray(off + 8, off + 8 + len))
    off += 8 + len
  }
  return Buffer.concat(parts)
}

describe('sim agent: faults', () => {
  let fx: Awaited<ReturnType<typeof startAgentFixture>>
  before(async () => {
    fx = await startAgentFixture()
  })
  after(async () => fx.close())

  it('notReadyDrops: the first data messages go unacked until the client resends them', async () => {
    const { client, sessionId } = await fx.open({ faults: { notReadyDrops: 2 }, retransmitMs: 250 })
    const first = client.nextSeq
    client.sendData(Buffer.concat([smuxFrame(SMUX.SYN, 3), smuxFrame(SMUX.PSH, 3, Buffer.from('ping'))]))
    await client.until(() => echoed(client.output).toString() === 'ping', 'echo after resends')
    const info = fx.service.sessionInfo(sessionId)
    assert.ok(client.acked.includes(first))
    // Two dropped copies plus the accepted one were received for the same seq.
    assert.ok((info?.messagesIn ?? 0) >= first + 3, `messagesIn ${info?.messagesIn}`)
  })

  it('duplicateOutput and reorderOutput: duplicated and out-of-order seqs, exact byte stream', async () => {
    const { client } = await fx.open({ faults: { duplicateOutput: true, reorderOutput: true } })
    const data = randomBytes(20_000)
    client.sendData(Buffer.concat([smuxFrame(SMUX.SYN, 3), smuxFrame(SMUX.PSH, 3, data)]))
    await client.until(() => echoed(client.output).length >= data.length, 'echo', 10_000)
    assert.deepEqual(echoed(client.output), data)
    const seqs = client.outputSeqs
    assert.ok(new Set(seqs).size < seqs.length, 'some seq arrived twice')
    assert.ok(
      seqs.some((s, i) => i > 0 && s < (seqs[i - 1] as number) && !seqs.slice(0, i).includes(s)),
      'some new seq arrived after a higher one',
    )
  })

  it('bogusStartPublication: a start_publication with bogus length/digest comes first', async () => {
    const { client } = await fx.open({ faults: { bogusStartPublication: true }, handshake: false })
    await client.handshake()
    assert.equal(client.frames[0]?.messageType, 'start_publication')
    assert.equal(client.frames[0]?.digestOk, false)
    assert.equal(client.frames[1]?.payloadType, PAYLOAD_TYPE.HandshakeRequest)
  })

  it('a payload over maxPayloadBytes cuts the WebSocket; the session survives', async () => {
    const { client, sessionId } = await fx.open()
    client.send(PAYLOAD_TYPE.Output, Buffer.alloc(1025))
    const closed = await client.closed
    assert.notEqual(closed.code, 1000)
    assert.equal(fx.service.sessionInfo(sessionId)?.ended, false)
    assert.notEqual(fx.service.newToken(sessionId), '')
  })

  it('maxMessagesPerSecond: a burst beyond the cap cuts the WebSocket', async () => {
    const { client } = await fx.open({ faults: { maxMessagesPerSecond: 20 } })
    client.sendData(smuxFrame(SMUX.SYN, 3))
    for (let i = 0; i < 40; i++) client.sendData(smuxFrame(SMUX.NOP, 0))
    await client.closed
    assert.ok(fx.logs.some((l) => l.includes('maxMessagesPerSecond')))
  })

  it('idleTimeoutMs: channel_closed with the inactivity message', async () => {
    const { client, sessionId } = await fx.open({ faults: { idleTimeoutMs: 300 } })
    const cc = await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
    assert.match(JSON.parse(cc.payload.toString()).Output, /timed out due to inactivity/)
    await client.closed
    assert.equal(fx.service.newToken(sessionId), '')
  })

  it('maxDurationMs: channel_closed even while active', async () => {
    const { client } = await fx.open({ faults: { maxDurationMs: 400 } })
    client.sendData(smuxFrame(SMUX.SYN, 3))
    const busy = setInterval(() => client.sendData(smuxFrame(SMUX.PSH, 3, Buffer.from('x'))), 50)
    try {
      const cc = await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
      assert.match(JSON.parse(cc.payload.toString()).Output, /maximum session duration/)
    } finally {
      clearInterval(busy)
    }
  })

  it('handshake timeout: channel_closed when no HandshakeResponse arrives', async () => {
    const { client } = await fx.open({ faults: { handshakeTimeoutMs: 200 }, handshake: false })
    const cc = await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
    assert.match(JSON.parse(cc.payload.toString()).Output, /Handshake timed out/)
  })

  it('unacked output is retransmitted unchanged (same seq and MessageId)', async () => {
    const { client } = await fx.open({ handshake: false })
    client.autoAck = false
    await client.until(() => client.outputSeqs.filter((s) => s === 0).length >= 2, 'resent HandshakeRequest')
    const copies = client.frames.filter((f) => f.payloadType === PAYLOAD_TYPE.HandshakeRequest)
    assert.equal(copies[0]?.messageId, copies[1]?.messageId)
  })

  it('a bad digest is dropped without ack; the intact resend is acked', async () => {
    const { client } = await fx.open()
    const seq = client.nextSeq
    const frame = buildFrame({
      messageType: 'input_stream_data',
      sequenceNumber: BigInt(seq),
      flags: 0n,
      messageId: randomUUID(),
      createdDate: BigInt(Date.now()),
      payloadType: PAYLOAD_TYPE.Output,
      payload: smuxFrame(SMUX.NOP, 0),
    })
    const bad = Buffer.from(frame)
    bad[80] = (bad[80] as number) ^ 0xff
    client.sendRaw(bad)
    await new Promise((r) => setTimeout(r, 300))
    assert.ok(!client.acked.includes(seq))
    client.sendRaw(frame)
    await client.until(() => client.acked.includes(seq), 'ack of the intact copy')
  })

  it('pause/resume publication: output and acks stall until start_publication', async () => {
    const { client, sessionId } = await fx.open({ retransmitMs: 250 })
    fx.service.pausePublication(sessionId)
    await client.frame((f) => f.messageType === 'pause_publication', 'pause_publication')
    const seq = client.send(
      PAYLOAD_TYPE.Output,
      Buffer.concat([smuxFrame(SMUX.SYN, 3), smuxFrame(SMUX.PSH, 3, Buffer.from('p'))]),
    )
    await new Promise((r) => setTimeout(r, 400))
    assert.ok(!client.acked.includes(seq), 'no ack while paused')
    fx.service.resumePublication(sessionId)
    await client.frame((f) => f.messageType === 'start_publication', 'start_publication')
    await client.until(() => echoed(client.output).toString() === 'p', 'echo after resume')
  })

  it('dropAfterMessages: the WebSocket is cut after N data messages', async () => {
    const { client, sessionId } = await fx.open({ faults: { dropAfterMessages: 3 } })
    for (let i = 0; i < 3; i++) client.sendData(smuxFrame(SMUX.NOP, 0))
    await client.closed
    assert.equal(fx.service.sessionInfo(sessionId)?.ended, false)
  })

  it('oneWayLatencyMs: a round trip takes at least twice the latency', async () => {
    const { client } = await fx.open({ faults: { oneWayLatencyMs: 150 } })
    const t0 = Date.now()
    client.sendData(Buffer.concat([smuxFrame(SMUX.SYN, 3), smuxFrame(SMUX.PSH, 3, Buffer.from('lat'))]))
    await client.until(() => echoed(client.output).toString() === 'lat', 'echo')
    assert.ok(Date.now() - t0 >= 290, `round trip ${Date.now() - t0} ms`)
  })

  it('smux keepalive (old client): NOPs sent, idle mux session closed', async () => {
    const { client } = await fx.open({
      clientVersion: '1.2.300.0',
      faults: { keepaliveIntervalMs: 100, keepaliveTimeoutMs: 400 },
    })
    await client.until(() => client.output.includes(Buffer.from('0103000000000000', 'hex')), 'NOP')
    const cc = await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
    assert.match(JSON.parse(cc.payload.toString()).Output, /keepalive/)
  })

  it('dropConnection + ResumeSession token: the same session continues its sequence numbers', async () => {
    const { client, sessionId, streamUrl, tokenValue } = await fx.open()
    client.sendData(Buffer.concat([smuxFrame(SMUX.SYN, 3), smuxFrame(SMUX.PSH, 3, Buffer.from('one'))]))
    await client.until(() => echoed(client.output).toString() === 'one', 'first echo')
    client.autoAck = false
    client.sendData(smuxFrame(SMUX.PSH, 3, Buffer.from('two')))
    await client.until(() => echoed(client.output).toString() === 'onetwo', 'second echo, unacked')
    const lastSeq = Math.max(...client.outputSeqs)
    fx.service.dropConnection(sessionId)
    await client.closed
    const token = fx.service.newToken(sessionId)
    assert.notEqual(token, '')
    const stale = fx.track(await AgentTestClient.connect(streamUrl, tokenValue))
    assert.equal((await stale.closed).code, 1008, 'the old token no longer works')
    const resumed = fx.track(await AgentTestClient.connect(streamUrl, token, { resumeFrom: client }))
    // The unacked output is resent with its original seq; new data continues both sequences.
    await resumed.until(() => resumed.outputSeqs.includes(lastSeq), 'resent unacked output')
    const seq = resumed.send(PAYLOAD_TYPE.Output, smuxFrame(SMUX.PSH, 3, Buffer.from('three')))
    assert.equal(seq, client.nextSeq)
    await resumed.until(() => echoed(resumed.output).toString() === 'onetwothree', 'echo after resume')
    assert.ok(resumed.outputSeqs.some((s) => s > lastSeq))
    assert.ok(
      !resumed.frames.some((f) => f.payloadType === PAYLOAD_TYPE.HandshakeRequest),
      'no new handshake',
    )
    assert.equal(fx.service.sessionInfo(sessionId)?.connections, 2)
  })
})
