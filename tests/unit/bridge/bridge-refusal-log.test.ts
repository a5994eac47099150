// Issue 11 item 15: every refused bridge upgrade used to log a line, so anyone on the machine could
// flood the log. Now the first refusal of each 10 s window is logged and the rest are counted.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, it } from 'node:test'
import WebSocket from 'ws'
import { EventBus } from '../../../electron/base/event-bus'
import { createLogger } from '../../../electron/base/logger'
import { startBridge } from '../../../electron/bridge/bridge-server'
import { createLogLimiter } from '../../../electron/bridge/log-limiter'
import { createEngine } from '../../../electron/engine/engine'
import { createDispatcher } from '../../../electron/ipc/dispatcher'
import { openConfTargetStore } from '../../../electron/store/conf-target-store'
import { bridgeProtocols } from '../../../shared/ipc/bridge-protocol'

const root = mkdtempSync(join(tmpdir(), 'porthole-bridge-log-'))
after(() => rmSync(root, { recursive: true, force: true }))

/** Resolves once the server has answered the upgrade (refused or opened). */
function knock(url: string, protocols: string[], headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', () => resolve(0))
  })
}

it('200 refused upgrades log one line; the bridge still serves its real client', async () => {
  const staticDir = join(root, 'renderer')
  mkdirSync(staticDir, { recursive: true })
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Porthole</title>')
  const lines: string[] = []
  const logger = createLogger('bridge', (line) => {
    if (line.level === 'warn') lines.push(line.message)
  })
  const bus = new EventBus()
  const engine = createEngine({
    store: openConfTargetStore({ dir: join(root, 'store') }),
    bus,
    logger,
    shell: 'web',
    version: '0.0.0-test',
  })
  const bridge = await startBridge({ dispatch: createDispatcher(engine.handlers), bus, staticDir, logger })
  try {
    const url = `ws://127.0.0.1:${bridge.port}/ipc`
    const origin = `http://127.0.0.1:${bridge.port}`
    const started = Date.now()
    for (let i = 0; i < 200; i++) {
      assert.equal(await knock(url, bridgeProtocols('wrong'), { Origin: origin }), 401)
    }
    // One line per 10 s window: 1 on an idle machine, a few more if a busy one took longer.
    const windows = Math.floor((Date.now() - started) / 10_000) + 1
    const refused = lines.filter((l) => l.includes('bridge refused a WebSocket'))
    assert.ok(
      refused.length >= 1 && refused.length <= windows,
      `${refused.length} lines in ${windows} windows`,
    )
    assert.ok(refused.length < 20, 'not one line per refusal')
    assert.equal(await knock(url, bridgeProtocols(bridge.token), { Origin: origin }), 101)
  } finally {
    await bridge.close()
    await engine.close()
  }
})

it('the limiter writes one line per window and then says how many it held back', () => {
  let t = 0
  const out: string[] = []
  const limiter = createLogLimiter((l) => out.push(l), { windowMs: 10_000, now: () => t })
  limiter.note('refused: wrong token')
  for (let i = 0; i < 99; i++) limiter.note('refused: origin http://evil')
  assert.deepEqual(out, ['refused: wrong token'])
  t = 10_000
  limiter.note('refused: no token')
  assert.deepEqual(out, [
    'refused: wrong token',
    '99 more like this were not logged (last: refused: origin http://evil)',
    'refused: no token',
  ])
})
