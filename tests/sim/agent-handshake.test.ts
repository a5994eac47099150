// Stream service + agent handshake over real sockets: OpenDataChannel checks, the
// HandshakeRequest fields, and the mode the agent picks for each ClientVersion.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PAYLOAD_TYPE } from '../fixtures/ssm-spec-frames'
import { AgentTestClient, startAgentFixture } from './agent-test-client'

describe('sim agent: OpenDataChannel and handshake', () => {
  let fx: Awaited<ReturnType<typeof startAgentFixture>>
  before(async () => {
    fx = await startAgentFixture()
  })
  after(async () => fx.close())

  it('refuses a wrong token with close code 1008 and sends nothing', async () => {
    const s = fx.register()
    const c = fx.track(await AgentTestClient.connect(s.streamUrl, 'not-the-token'))
    const closed = await c.closed
    assert.equal(closed.code, 1008)
    assert.equal(c.frames.length, 0)
    assert.ok(fx.logs.some((l) => l.includes('invalid token')))
  })

  it('refuses a wrong MessageSchemaVersion, a missing RequestId and a binary first frame', async () => {
    const s = fx.register()
    for (const open of [{ MessageSchemaVersion: '2.0' }, { RequestId: undefined }]) {
      const c = fx.track(await AgentTestClient.connect(s.streamUrl, s.tokenValue, { open }))
      assert.equal((await c.closed).code, 1008)
    }
    const raw = fx.track(await AgentTestClient.connect(s.streamUrl, s.tokenValue, { binaryOpen: true }))
    assert.equal((await raw.closed).code, 1008)
    // The right token still works afterwards: a refusal does not end the session.
    const ok = fx.track(await AgentTestClient.connect(s.streamUrl, s.tokenValue))
    await ok.frame((f) => f.payloadType === PAYLOAD_TYPE.HandshakeRequest, 'HandshakeRequest')
  })

  it('refuses a connection to an unknown session', async () => {
    const s = fx.register()
    const url = s.streamUrl.replace(s.sessionId, 'no-such-session')
    const c = fx.track(await AgentTestClient.connect(url, s.tokenValue))
    assert.equal((await c.closed).code, 1008)
  })

  it('sends the HandshakeRequest as seq 0, flags 1, PT 5 with sorted Properties', async () => {
    const s = fx.register()
    const c = fx.track(await AgentTestClient.connect(s.streamUrl, s.tokenValue))
    const req = await c.frame((f) => f.payloadType === PAYLOAD_TYPE.HandshakeRequest, 'HandshakeRequest')
    assert.equal(req.headerLength, 116)
    assert.equal(req.messageType, 'output_stream_data')
    assert.equal(req.sequenceNumber, 0n)
    assert.equal(req.flags, 1n)
    assert.ok(req.digestOk)
    assert.equal(
      req.payload.toString(),
      '{"AgentVersion":"3.3.987.0","RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":{"SessionType":"Port","Properties":{"host":"db.internal","localPortNumber":"0","portNumber":"5432","type":"LocalPortForwarding"}}}]}',
    )
    await c.handshake()
    const ack = await c.frame((f) => f.messageType === 'acknowledge', 'ack of HandshakeResponse')
    assert.equal(ack.sequenceNumber, 0n)
    assert.equal(ack.flags, 3n)
    assert.equal(ack.payloadType, 0)
    const json = JSON.parse(ack.payload.toString())
    assert.equal(json.AcknowledgedMessageType, 'input_stream_data')
    assert.equal(json.AcknowledgedMessageSequenceNumber, 0)
    const done = await c.frame((f) => f.payloadType === PAYLOAD_TYPE.HandshakeComplete, 'HandshakeComplete')
    assert.equal(done.sequenceNumber, 1n)
    assert.equal(done.flags, 0n)
    const complete = JSON.parse(done.payload.toString())
    assert.equal(typeof complete.HandshakeTimeToComplete, 'number')
    assert.equal(complete.CustomerMessage, '')
  })

  for (const [agent, version, mode, keepalive] of [
    ['3.3.987.0', '1.2.650.0', 'mux', false],
    ['3.3.987.0', '1.2.300.0', 'mux', true],
    ['3.3.987.0', '1.0.0.0', 'basic', false],
    ['3.1.1000.0', '1.2.650.0', 'mux', true],
    ['3.0.100.0', '1.2.650.0', 'basic', false],
  ] as const) {
    it(`agent ${agent}, ClientVersion ${version} → ${mode}${keepalive ? ' with keepalive' : ''}`, async () => {
      const s = fx.register('db.internal', agent)
      const c = fx.track(await AgentTestClient.connect(s.streamUrl, s.tokenValue))
      const req = await c.handshake(version)
      assert.equal(req.AgentVersion, agent)
      const info = fx.service.sessionInfo(s.sessionId)
      assert.equal(info?.mode, mode)
      assert.equal(info?.keepalive, keepalive)
      assert.equal(info?.clientVersion, version)
    })
  }

  it('fails the session when an action is not successful', async () => {
    const { client, sessionId } = await fx.open({ handshake: false })
    await client.handshake('1.2.650.0', 2)
    const cc = await client.frame((f) => f.messageType === 'channel_closed', 'channel_closed')
    assert.match(JSON.parse(cc.payload.toString()).Output, /Handshake failed/)
    await client.closed
    assert.equal(fx.service.newToken(sessionId), '')
  })

  it('acks and discards data sent before the handshake completes', async () => {
    const s = fx.register()
    const c = fx.track(await AgentTestClient.connect(s.streamUrl, s.tokenValue))
    await c.frame((f) => f.payloadType === PAYLOAD_TYPE.HandshakeRequest, 'HandshakeRequest')
    c.sendData(Buffer.from('early')) // seq 0: data before the HandshakeResponse
    await c.handshake() // the response takes seq 1
    await c.until(() => c.acked.includes(0) && c.acked.includes(1), 'acks of data and response')
    assert.equal(fx.service.sessionInfo(s.sessionId)?.mode, 'mux')
    assert.equal(fx.service.sessionInfo(s.sessionId)?.ended, false)
    assert.equal(fx.service.sessionInfo(s.sessionId)?.bytesRelayed, 0)
  })
})
