// Data relay through the simulated agent over real sockets: smux v1 streams to a loopback echo
// server (with reassembly across message boundaries), ConnectToPortError, basic mode with
// DisconnectToPort re-dial, and the TerminateSession flag ending the session.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { FLAG, PAYLOAD_TYPE, SMUX, smuxFrame } from '../fixtures/ssm-spec-frames'
import { startAgentFixture } from './agent-test-client'

/** Splits the smux stream out of the agent's output into frames (test-side parser). */
function smuxFrames(bytes: Buffer): Array<{ cmd: number; sid: number; data: Buffer }> {
  const out = []
  let off = 0
  while (off + 8 <= bytes.length) {
    const cmd = bytes[off + 1] as number
    const len = cmd === SMUX.PSH ? bytes.readUInt16LE(off + 2) : 0
    if (off + 8 + len > bytes.length) break
    out.push({ cmd, sid: bytes.readUInt32LE(off + 4), data: bytes.subarray(off + 8, off + 8 + len) })
    off += 8 + len
  }
  return out
}

function streamData(bytes: Buffer, sid: number): Buffer {
  return Buffer.concat(
    smuxFrames(bytes)
      .filter((f) => f.sid === sid && f.cmd === SMUX.PSH)
      .map((f) => f.data),
  )
}

describe('sim agent: relay', () => {
  let fx: Awaited<ReturnType<typeof startAgentFixture>>
  before(async () => {
    fx = await startAgentFixture()
  })
  after(async () => fx.close())

  it('mux: echoes two streams; frames split across messages are reassembled', async () => {
    const { client, sessionId } = await fx.open()
    const a = randomBytes(5000)
    const b = Buffer.from('hello stream five')
    const bytes = Buffer.concat([
      smuxFrame(SMUX.SYN, 3),
      smuxFrame(SMUX.SYN, 5),
      smuxFrame(SMUX.PSH, 3, a),
      smuxFrame(SMUX.PSH, 5, b),
    ])
    // Odd message boundaries that cut through headers and data.
    for (const [from, to] of [
      [0, 3],
      [3, 13],
      [13, 700],
      [700, bytes.length],
    ] as const)
      for (let off = from; off < to; off += 1024)
        client.send(PAYLOAD_TYPE.Output, bytes.subarray(off, Math.min(to, off + 1024)))
    await client.until(
      () =>
        streamData(client.output, 3).length >= a.length && streamData(client.output, 5).length >= b.length,
      'echo',
    )
    assert.deepEqual(streamData(client.output, 3), a)
    assert.deepEqual(streamData(client.output, 5), b)
    const payloads = client.frames.filter(
      (f) => f.messageType === 'output_stream_data' && f.payloadType === 1,
    )
    assert.ok(payloads.every((f) => f.payload.length <= 1024 && f.digestOk && f.flags === 0n))
    const info = fx.service.sessionInfo(sessionId)
    assert.equal(info?.streamsOpened, 2)
    assert.ok((info?.bytesRelayed ?? 0) >= 2 * (a.length + b.length))
    // A client FIN closes the destination; the agent answers with its own FIN.
    client.sendData(smuxFrame(SMUX.FIN, 3))
    await client.until(
      () => smuxFrames(client.output).some((f) => f.cmd === SMUX.FIN && f.sid === 3),
      'FIN back',
    )
    // PSH for an unknown/closed sid is discarded without killing the session.
    client.sendData(
      Buffer.concat([smuxFrame(SMUX.PSH, 99, Buffer.from('x')), smuxFrame(SMUX.PSH, 5, Buffer.from('!'))]),
    )
    await client.until(() => streamData(client.output, 5).toString().endsWith('!'), 'stream 5 still alive')
  })

  it('mux: unresolvable host → ConnectToPortError flag, then FIN(sid)', async () => {
    const { client, sessionId } = await fx.open({ host: 'nowhere.internal' })
    client.sendData(smuxFrame(SMUX.SYN, 3))
    await client.until(() => client.flags.includes(FLAG.ConnectToPortError), 'ConnectToPortError')
    const flag = client.frames.find((f) => f.payloadType === PAYLOAD_TYPE.Flag)
    assert.equal(flag?.payload.toString('hex'), '00000003')
    await client.until(() => smuxFrames(client.output).some((f) => f.cmd === SMUX.FIN && f.sid === 3), 'FIN')
    assert.equal(fx.service.sessionInfo(sessionId)?.connectErrors, 1)
  })

  it('mux: a wrong smux version kills the session', async () => {
    const { client, sessionId } = await fx.open()
    client.sendData(Buffer.from('0200000003000000', 'hex'))
    await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
    assert.equal(fx.service.sessionInfo(sessionId)?.ended, true)
  })

  it('basic: relays raw bytes; DisconnectToPort closes and the next data re-dials', async () => {
    const before = fx.echo.connections()
    const { client, sessionId } = await fx.open({ clientVersion: '1.0.0.0' })
    client.sendData(Buffer.from('first'))
    await client.until(() => client.output.toString() === 'first', 'first echo')
    assert.equal(fx.echo.connections(), before + 1)
    client.sendFlag(FLAG.DisconnectToPort)
    await client.until(() => client.acked.includes(client.nextSeq - 1), 'ack of the flag')
    client.sendData(Buffer.from('second'))
    await client.until(() => client.output.toString() === 'firstsecond', 'second echo')
    assert.equal(fx.echo.connections(), before + 2)
    assert.equal(fx.service.sessionInfo(sessionId)?.mode, 'basic')
  })

  it('TerminateSession flag → ack, channel_closed with HL 112, WebSocket closed, session over', async () => {
    const { client, sessionId, streamUrl } = await fx.open()
    const seq = client.sendFlag(FLAG.TerminateSession)
    const cc = await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
    assert.ok(client.acked.includes(seq), 'the flag is acked before channel_closed')
    const ackIndex = client.frames.findIndex(
      (f) =>
        f.messageType === 'acknowledge' &&
        JSON.parse(f.payload.toString()).AcknowledgedMessageSequenceNumber === seq,
    )
    assert.ok(ackIndex < client.frames.indexOf(cc))
    assert.equal(cc.headerLength, 112)
    assert.ok(cc.digestOk)
    const raw = client.raw[client.frames.indexOf(cc)] as Buffer
    assert.equal(raw.subarray(4, 36).toString('latin1'), `channel_closed${'\0'.repeat(18)}`)
    assert.equal(raw.readUInt32BE(112), raw.length - 116)
    const json = JSON.parse(cc.payload.toString())
    assert.equal(json.MessageType, 'channel_closed')
    assert.equal(json.SessionId, sessionId)
    assert.equal(json.DestinationId, 'i-0123456789abcdef0')
    assert.equal(json.SchemaVersion, 1)
    assert.equal(typeof json.CreatedDate, 'string')
    assert.equal(typeof json.MessageId, 'string')
    await client.closed
    assert.equal(fx.service.newToken(sessionId), '')
    assert.ok(streamUrl.endsWith(`/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=1`))
  })

  it('terminate() from the service side sends channel_closed with its Output', async () => {
    const { client, sessionId } = await fx.open()
    fx.service.terminate(sessionId, 'bye now')
    const cc = await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
    assert.equal(JSON.parse(cc.payload.toString()).Output, 'bye now')
    await client.closed
  })
})
