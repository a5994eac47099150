import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import WebSocket from 'ws'
import { EventBus } from '../../../electron/base/event-bus'
import { silentLogger } from '../../../electron/base/logger'
import { type Bridge, startBridge } from '../../../electron/bridge/bridge-server'
import { createEngine, type Engine } from '../../../electron/engine/engine'
import { createDispatcher } from '../../../electron/ipc/dispatcher'
import { openConfTargetStore } from '../../../electron/store/conf-target-store'
import { bridgeProtocols } from '../../../shared/ipc/bridge-protocol'

const root = mkdtempSync(join(tmpdir(), 'porthole-bridge-'))
const staticDir = join(root, 'renderer')
let engine: Engine
let bridge: Bridge
let origin: string
let wsUrl: string

before(async () => {
  mkdirSync(join(staticDir, 'assets'), { recursive: true })
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Porthole</title>')
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'outside the static dir')
  const bus = new EventBus()
  const store = openConfTargetStore({ dir: join(root, 'store') })
  engine = createEngine({ store, bus, logger: silentLogger, shell: 'web', version: '0.0.0-test' })
  bridge = await startBridge({
    dispatch: createDispatcher(engine.handlers),
    bus,
    staticDir,
    logger: silentLogger,
  })
  origin = `http://127.0.0.1:${bridge.port}`
  wsUrl = `ws://127.0.0.1:${bridge.port}/ipc`
})
after(async () => {
  await bridge.close()
  await engine.close()
  rmSync(root, { recursive: true, force: true })
})

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(protocols: string[], headers: Record<string, string>, url = wsUrl): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err)
    })
  })
}

function httpGet(path: string, host = `127.0.0.1:${bridge.port}`) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path, headers: { host } }, (res) => {
        let body = ''
        res.on('data', (d) => {
          body += d
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      })
      req.on('error', reject)
      req.end()
    },
  )
}

describe('loopback bridge', () => {
  it('prints a 127.0.0.1 URL carrying a 256-bit token in the fragment', () => {
    assert.match(bridge.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/)
    assert.equal(Buffer.from(bridge.token, 'base64url').length, 32)
  })

  it('refuses a WebSocket without the token, with a wrong token, or from a foreign Origin', async () => {
    assert.equal(await upgradeStatus(['porthole.v1'], { origin }), 401)
    assert.equal(await upgradeStatus(bridgeProtocols('A'.repeat(43)), { origin }), 401)
    assert.equal(await upgradeStatus(bridgeProtocols(`${bridge.token}x`), { origin }), 401)
    assert.equal(await upgradeStatus(bridgeProtocols(bridge.token), { origin: 'http://evil.example' }), 403)
    assert.equal(
      await upgradeStatus(bridgeProtocols(bridge.token), { origin: `http://127.0.0.1:${bridge.port + 1}` }),
      403,
    )
    assert.equal(await upgradeStatus(bridgeProtocols(bridge.token), {}), 403)
    assert.equal(await upgradeStatus(bridgeProtocols(bridge.token), { origin }, `${wsUrl}x`), 404)
    // The control: the same request with the right token and origin is accepted.
    assert.equal(await upgradeStatus(bridgeProtocols(bridge.token), { origin }), 101)
    assert.equal(
      await upgradeStatus(bridgeProtocols(bridge.token), { origin: `http://localhost:${bridge.port}` }),
      101,
    )
  })

  it('lets a good client call methods and receive events', async () => {
    const ws = new WebSocket(wsUrl, bridgeProtocols(bridge.token), { headers: { origin } })
    const messages: Array<Record<string, unknown>> = []
    const waiters: Array<() => void> = []
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)))
      for (const w of waiters.splice(0)) w()
    })
    const next = async (pred: (m: Record<string, unknown>) => boolean) => {
      for (;;) {
        const found = messages.find(pred)
        if (found) return found
        await new Promise<void>((r) => waiters.push(r))
      }
    }
    await new Promise((r) => ws.once('open', r))
    assert.equal(ws.protocol, 'porthole.v1')
    ws.send(JSON.stringify({ id: 1, method: 'listTargets' }))
    assert.deepEqual(await next((m) => m.id === 1), { id: 1, envelope: { ok: true, result: [] } })
    ws.send(JSON.stringify({ id: 2, method: 'createDemoTarget' }))
    const event = await next((m) => m.event === 'onTargetsChanged')
    assert.equal((event.payload as Array<{ demo: boolean }>)[0]?.demo, true)
    const reply = (await next((m) => m.id === 2)) as { envelope: { ok: boolean } }
    assert.equal(reply.envelope.ok, true)
    // Invalid arguments come back as a VALIDATION envelope, not a dropped socket.
    ws.send(JSON.stringify({ id: 3, method: 'deleteTarget', arg: { targetId: 'nope' } }))
    const bad = (await next((m) => m.id === 3)) as { envelope: { ok: false; error: { code: string } } }
    assert.equal(bad.envelope.error.code, 'VALIDATION')
    // A malformed frame closes the socket with a policy error.
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
    ws.send('{not json')
    assert.equal(await closed, 1008)
  })

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const index = await httpGet('/')
    assert.equal(index.status, 200)
    assert.match(index.body, /<title>Porthole/)
    const csp = String(index.headers['content-security-policy'])
    assert.match(csp, /default-src 'none'/)
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${bridge.port}`))
    assert.equal(index.headers['x-content-type-options'], 'nosniff')
    assert.equal((await httpGet('/assets/app.js')).headers['content-type'], 'text/javascript; charset=utf-8')
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const res = await httpGet(path)
      assert.ok(res.status === 403 || res.status === 404, `${path} → ${res.status}`)
      assert.doesNotMatch(res.body, /outside the static dir/)
    }
    assert.equal((await httpGet('/missing.js')).status, 404)
    // DNS rebinding: a foreign Host header is refused even on loopback.
    assert.equal((await httpGet('/', 'attacker.example')).status, 421)
  })

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)
    if (!external) return // no non-loopback interface here: the URL assertion above still holds
    const reached = await new Promise<boolean>((resolve) => {
      const req = request({ host: external.address, port: bridge.port, path: '/', timeout: 2000 }, () =>
        resolve(true),
      )
      req.on('error', () => resolve(false))
      req.on('timeout', () => {
        req.destroy()
        resolve(false)
      })
      req.end()
    })
    assert.equal(reached, false, `bridge answered on ${external.address}`)
  })
})
