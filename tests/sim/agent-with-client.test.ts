// The real client (electron/tunnel Tunnel) against the simulated agent over real sockets: a
// tiny SsmSessionApi adapter registers sessions with the stream service, and 100 KB echo
// through the tunnel's local port in basic, mux+keepalive and mux modes.
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { silentLogger } from '../../electron/base/logger'
import type { SsmSessionApi } from '../../electron/tunnel/ssm-session-api'
import { Tunnel } from '../../electron/tunnel/tunnel'
import { type AgentFaults, type StreamService, startStreamService } from '../../sim/agent'
import { echoThrough, testTarget } from '../fixtures/tunnel/helpers'
import { startEchoServer } from './agent-test-client'

const RDS_HOST = 'db.example.us-east-1.rds.amazonaws.com'

/** StartSession/ResumeSession/TerminateSession as the simulator's API side would answer them. */
function apiOver(
  service: StreamService,
  agentVersion: string,
  started: string[],
  faults: Partial<AgentFaults> = {},
): SsmSessionApi {
  const urls = new Map<string, string>()
  return {
    async startSession(input) {
      const sessionId = `with-client-${randomUUID().slice(0, 8)}`
      const tokenValue = randomUUID()
      const { streamUrl } = service.registerSession({
        sessionId,
        tokenValue,
        target: input.target,
        documentName: input.documentName,
        parameters: input.parameters,
        agentVersion,
      })
      Object.assign(service.sessionFaults(sessionId), faults)
      urls.set(sessionId, streamUrl)
      started.push(sessionId)
      return { sessionId, streamUrl, tokenValue }
    },
    async resumeSession(sessionId) {
      return { sessionId, streamUrl: urls.get(sessionId) ?? '', tokenValue: service.newToken(sessionId) }
    },
    async terminateSession(sessionId) {
      service.terminate(sessionId)
    },
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('sim agent with the real tunnel client', () => {
  let echo: Awaited<ReturnType<typeof startEchoServer>>
  let service: StreamService
  before(async () => {
    echo = await startEchoServer()
    service = await startStreamService({
      resolver: {
        resolve: (h, p) =>
          h === RDS_HOST && p === 5432 ? { host: '127.0.0.1', port: echo.port } : undefined,
      },
    })
  })
  after(async () => {
    await service.close()
    await echo.close()
  })

  for (const [agentVersion, mode, keepalive] of [
    ['3.3.987.0', 'mux', false],
    ['3.1.1000.0', 'mux', true],
    ['3.0.100.0', 'basic', false],
  ] as const) {
    it(`echoes 100 KB through agent ${agentVersion} (${mode}${keepalive ? ', keepalive' : ''})`, async () => {
      const started: string[] = []
      const tunnel = new Tunnel(testTarget({ rdsHost: RDS_HOST, rdsPort: 5432 }), {
        api: apiOver(service, agentVersion, started),
        logger: silentLogger,
      })
      try {
        const status = await tunnel.open()
        assert.equal(status.state, 'open')
        assert.equal(status.mode, mode)
        const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 0xff))
        assert.equal(sha(await echoThrough(status.localPort as number, data)), sha(data))
        const sessionId = started[0] as string
        const info = service.sessionInfo(sessionId)
        assert.equal(info?.mode, mode)
        assert.equal(info?.keepalive, keepalive)
        assert.equal(info?.clientVersion, '1.2.650.0')
        assert.ok((info?.bytesRelayed ?? 0) >= 200_000)
        await tunnel.close()
        assert.equal(service.sessionInfo(sessionId)?.ended, true)
      } finally {
        await tunnel.close()
      }
    })
  }

  it('survives not-ready drops, duplicated/reordered output and a WebSocket drop (ResumeSession)', async () => {
    const started: string[] = []
    const faults = { notReadyDrops: 3, duplicateOutput: true, reorderOutput: true, dropAfterMessages: 40 }
    const tunnel = new Tunnel(testTarget({ rdsHost: RDS_HOST, rdsPort: 5432 }), {
      api: apiOver(service, '3.3.987.0', started, faults),
      logger: silentLogger,
    })
    try {
      const status = await tunnel.open()
      const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) & 0xff))
      assert.equal(sha(await echoThrough(status.localPort as number, data)), sha(data))
      const info = service.sessionInfo(started[0] as string)
      assert.equal(info?.connections, 2, 'the client resumed after the drop')
    } finally {
      await tunnel.close()
    }
  })
})
