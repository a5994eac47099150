import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { silentLogger } from '../../electron/base/logger'
import { PluginTunnel } from '../../electron/tunnel/plugin-backend'
import type { SsmSessionApi } from '../../electron/tunnel/ssm-session-api'
import {
  echoThrough,
  seededBytes,
  sha256,
  startEcho,
  testTarget,
  waitForStatus,
} from '../fixtures/tunnel/helpers'

const script = fileURLToPath(new URL('../fixtures/fake-session-manager-plugin.mjs', import.meta.url))
const TOKEN = 'secret-token-value-0123456789'

function fakeApi(calls: string[]): SsmSessionApi {
  return {
    async startSession(input) {
      calls.push(`start ${input.documentName} ${JSON.stringify(input.parameters)}`)
      return {
        sessionId: 'porthole-abc123',
        streamUrl: 'wss://example.invalid/v1/data-channel/x',
        tokenValue: TOKEN,
      }
    },
    async resumeSession(id) {
      return { sessionId: id, streamUrl: '', tokenValue: '' }
    },
    async terminateSession(id) {
      calls.push(`terminate ${id}`)
    },
  }
}

describe('plugin backend with a fake session-manager-plugin', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>
  let dir: string
  before(async () => {
    echo = await startEcho()
    dir = mkdtempSync(join(tmpdir(), 'porthole-plugin-'))
  })
  after(async () => {
    await echo.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const context = (env: NodeJS.ProcessEnv) => ({
    region: 'us-east-1',
    profile: 'dev',
    endpoint: 'https://ssm.us-east-1.amazonaws.com',
    command: process.execPath,
    prefixArgs: [script],
    env,
  })

  it('opens, relays, keeps the token out of argv and closes with TerminateSession', async () => {
    const calls: string[] = []
    const argvFile = join(dir, 'argv.json')
    const t = new PluginTunnel(testTarget({ backend: 'plugin' }), {
      api: fakeApi(calls),
      logger: silentLogger,
      context: context({ FAKE_PLUGIN_FORWARD_PORT: String(echo.port), FAKE_PLUGIN_ARGV_FILE: argvFile }),
    })
    const s = await t.open()
    assert.equal(s.state, 'open')
    assert.equal(s.mode, 'plugin')
    assert.deepEqual(s.sessionIds, ['porthole-abc123'])
    const data = seededBytes(5, 50_000)
    assert.equal(sha256(await echoThrough(s.localPort!, data)), sha256(data))
    const seen = JSON.parse(readFileSync(argvFile, 'utf8')) as { argv: string[] }
    assert.match(seen.argv[0]!, /^AWS_SSM_START_SESSION_RESPONSE_/)
    assert.deepEqual(seen.argv.slice(1, 4), ['us-east-1', 'StartSession', 'dev'])
    assert.ok(!JSON.stringify(seen.argv).includes(TOKEN), 'token never in argv')
    assert.match(calls[0]!, /AWS-StartPortForwardingSessionToRemoteHost .*"portNumber":\["5432"\]/)
    const closed = await t.close()
    assert.equal(closed.state, 'closed')
    assert.deepEqual(calls.slice(1), ['terminate porthole-abc123'])
  })

  it('reports a dial failure and a service timeout from the plugin text', async () => {
    const t = new PluginTunnel(testTarget({ backend: 'plugin' }), {
      api: fakeApi([]),
      logger: silentLogger,
      context: context({ FAKE_PLUGIN_IDLE_MS: '1500' }),
    })
    const s = await t.open()
    const failed = waitForStatus(
      (l) => t.onStatus(l),
      (x) => x.lastError?.code === 'CONNECT_TO_PORT_FAILED',
    )
    await echoThrough(s.localPort!, Buffer.from('x'), 2000).catch(() => {})
    assert.match((await failed).lastError!.message, /could not reach db\.example/)
    const ended = await waitForStatus(
      (l) => t.onStatus(l),
      (x) => x.state === 'closed',
    )
    assert.match(ended.endReason ?? '', /timed out due to inactivity/)
    assert.equal(ended.lastError?.code, 'TUNNEL_CLOSED')
  })

  it('is UNAVAILABLE when the plugin is not on PATH', async () => {
    const old = process.env.PATH
    process.env.PATH = dir
    try {
      const t = new PluginTunnel(testTarget({ backend: 'plugin' }), {
        api: fakeApi([]),
        logger: silentLogger,
        context: { region: 'us-east-1' },
      })
      await assert.rejects(t.open(), (e: Error & { code?: string }) => e.code === 'UNAVAILABLE')
    } finally {
      process.env.PATH = old
    }
  })
})
