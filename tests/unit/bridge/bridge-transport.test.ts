import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, it } from 'node:test'
import WebSocket from 'ws'
import { EventBus } from '../../../electron/base/event-bus'
import { silentLogger } from '../../../electron/base/logger'
import { startBridge } from '../../../electron/bridge/bridge-server'
import { createEngine } from '../../../electron/engine/engine'
import { createDispatcher } from '../../../electron/ipc/dispatcher'
import { openConfTargetStore } from '../../../electron/store/conf-target-store'
import { PortholeError } from '../../../shared/errors'
import { type ApiTransport, createApiClient } from '../../../shared/ipc/client'

// tsconfig.node.json (a composite project) does not list renderer/ files, so a static import of
// the renderer transport fails `tsc -p tsconfig.node.json`. Load it at run time with a local type.
type SocketConstructor = new (url: string, protocols: string[]) => unknown
type TransportModule = {
  createBridgeTransport(options: {
    url: string
    token: string
    WebSocketImpl?: SocketConstructor
    backoffMs?: (attempt: number) => number
  }): ApiTransport & {
    close(): void
    readonly connected: boolean
    onConnection(listener: (connected: boolean) => void): () => void
  }
}
const transportPath = '../../../renderer/src/api/bridge-transport'

const root = mkdtempSync(join(tmpdir(), 'porthole-transport-'))
after(() => rmSync(root, { recursive: true, force: true }))

it('the renderer bridge transport drives the real bridge: calls, events, errors, and a lost connection', async () => {
  const bus = new EventBus()
  const engine = createEngine({
    store: openConfTargetStore({ dir: root }),
    bus,
    logger: silentLogger,
    shell: 'web',
    version: 'test',
  })
  const bridge = await startBridge({
    dispatch: createDispatcher(engine.handlers),
    bus,
    staticDir: root,
    logger: silentLogger,
  })
  const origin = `http://127.0.0.1:${bridge.port}`
  // The browser sends Origin itself; under Node the ws client needs it spelled out.
  const WithOrigin = class extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols, { headers: { origin } })
    }
  } as unknown as SocketConstructor
  const { createBridgeTransport } = (await import(transportPath)) as TransportModule
  const transport = createBridgeTransport({
    url: `ws://127.0.0.1:${bridge.port}/ipc`,
    token: bridge.token,
    WebSocketImpl: WithOrigin,
    backoffMs: () => 60_000, // no reconnect during the test
  })
  const api = createApiClient(transport)
  const names: string[][] = []
  const off = api.onTargetsChanged((targets) => names.push(targets.map((t) => t.name)))
  const demo = await api.createDemoTarget()
  assert.equal(demo.demo, true)
  assert.deepEqual(await api.listTargets(), [demo])
  assert.deepEqual(names, [[demo.name]])
  off()
  await assert.rejects(api.deleteTarget({ targetId: 't_missing00' }), (err: unknown) => {
    assert.ok(err instanceof PortholeError)
    assert.equal(err.code, 'NOT_FOUND')
    return true
  })
  await assert.rejects(api.saveTarget({ name: '', region: 'x' } as never), (err: unknown) => {
    assert.ok(err instanceof PortholeError)
    assert.equal(err.code, 'VALIDATION')
    assert.ok(err.info.issues?.some((i) => i.path === 'name'))
    return true
  })
  assert.equal(transport.connected, true)
  const lost = new Promise<boolean>((resolve) => transport.onConnection(resolve))
  await bridge.close()
  assert.equal(await lost, false)
  await assert.rejects(
    api.listTargets(),
    (err: unknown) => err instanceof PortholeError && err.code === 'UNAVAILABLE',
  )
  transport.close()
  await engine.close()
})
