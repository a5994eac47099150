import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { silentLogger } from '../../electron/base/logger'
import { matchTarget, runConnectCommand } from '../../electron/cli/commands/connect'
import { TunnelManager } from '../../electron/tunnel/tunnel-manager'
import { type FakeAgent, startFakeAgent } from '../fixtures/tunnel/fake-agent'
import { echoThrough, startEcho, testTarget } from '../fixtures/tunnel/helpers'

describe('porthole connect', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>
  let agent: FakeAgent
  before(async () => {
    echo = await startEcho()
    agent = await startFakeAgent()
  })
  after(async () => {
    await agent.close()
    await echo.close()
  })

  it('opens the tunnel, prints the port, and terminates the session on Ctrl-C', async () => {
    const target = testTarget({ name: 'Orders DB' })
    agent.route(target.rdsHost, target.rdsPort, echo.port)
    const tunnels = new TunnelManager({ apiFor: () => agent.api, logger: silentLogger })
    const lines: string[] = []
    const abort = new AbortController()
    const run = runConnectCommand(['orders db'], {
      findTarget: async (n) => matchTarget([target], n),
      tunnels,
      out: (l) => {
        lines.push(l)
        const m = l.match(/^Listening on 127\.0\.0\.1:(\d+)/)
        if (m)
          void echoThrough(Number(m[1]), Buffer.from('ping')).then((echoed) => {
            lines.push(`echoed ${echoed.toString()}`)
            abort.abort()
          })
      },
      err: (l) => lines.push(`ERR ${l}`),
      signal: abort.signal,
    })
    assert.equal(await run, 0)
    assert.ok(lines.includes('echoed ping'), lines.join('\n'))
    assert.ok(lines.some((l) => /^tunnel open on 127\.0\.0\.1:\d+ \(mux mode/.test(l)))
    assert.ok(lines.includes('tunnel closed: Closed by the user'))
    const session = [...agent.sessions.values()][0]!
    assert.ok(session.log.includes('flag 2') && session.ended)
  })

  it('exits 1 when the service closes the tunnel (issue 12), and when it cannot open', async () => {
    const target = testTarget({ name: 'Ends Early' })
    agent.route(target.rdsHost, target.rdsPort, echo.port)
    const tunnels = new TunnelManager({ apiFor: () => agent.api, logger: silentLogger })
    const errs: string[] = []
    const before = new Set(agent.sessions.keys())
    const code = await runConnectCommand(['ends early'], {
      findTarget: async (n) => matchTarget([target], n),
      tunnels,
      out: (l) => {
        if (!l.startsWith('Listening on')) return
        const id = [...agent.sessions.keys()].find((k) => !before.has(k))
        if (id) agent.endSession(id, 'Your session timed out due to inactivity and has been terminated.')
      },
      err: (l) => errs.push(l),
      signal: new AbortController().signal,
    })
    assert.equal(code, 1)
    assert.match(errs.join('\n'), /tunnel closed by the service: .*timed out due to inactivity/)

    const nowhere = testTarget({ name: 'Offline', instanceId: 'i-0fffffffffffffff0' })
    const failing = new TunnelManager({
      apiFor: () => ({
        ...agent.api,
        startSession: async () => {
          throw Object.assign(new Error('i-0fffffffffffffff0 is not connected.'), {
            name: 'TargetNotConnected',
          })
        },
      }),
      logger: silentLogger,
    })
    const code2 = await runConnectCommand(['offline'], {
      findTarget: async (n) => matchTarget([nowhere], n),
      tunnels: failing,
      out: () => {},
      err: () => {},
      signal: new AbortController().signal,
    })
    assert.equal(code2, 1)
  })

  it('exits 2 with usage or an unknown target', async () => {
    const errs: string[] = []
    const deps = {
      findTarget: async () => undefined,
      tunnels: new TunnelManager({ apiFor: () => agent.api, logger: silentLogger }),
      out: () => {},
      err: (l: string) => errs.push(l),
    }
    assert.equal(await runConnectCommand([], deps), 2)
    assert.equal(await runConnectCommand(['nope'], deps), 2)
    assert.match(errs.join('\n'), /usage: porthole connect[\s\S]*No saved target named or with id "nope"/)
  })
})
