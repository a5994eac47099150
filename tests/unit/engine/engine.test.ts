import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { EventBus } from '../../../electron/base/event-bus'
import { silentLogger } from '../../../electron/base/logger'
import { createEngine } from '../../../electron/engine/engine'
import { openConfTargetStore } from '../../../electron/store/conf-target-store'
import type { TunnelService } from '../../../electron/tunnel/tunnel-service'
import { DEMO } from '../../../shared/demo'
import { PortholeError } from '../../../shared/errors'
import { parseArg } from '../../../shared/ipc/contract'
import type { TunnelStatus } from '../../../shared/ipc/models'
import type { Target, TargetId } from '../../../shared/target-schema'

const dirs: string[] = []
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
function newEngine(extra: Partial<Parameters<typeof createEngine>[0]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-engine-'))
  dirs.push(dir)
  const bus = new EventBus()
  const store = openConfTargetStore({ dir })
  return createEngine({ store, bus, logger: silentLogger, shell: 'web', version: '9.9.9', ...extra })
}
const input = {
  name: 'Orders',
  region: 'us-east-1',
  instanceId: 'i-0123456789abcdef0',
  rdsHost: 'orders.abc.us-east-1.rds.amazonaws.com',
  database: 'orders',
  dbUser: 'reader',
}

/** A tunnel service that records calls in order; enough to check the engine's wiring. */
function recordingTunnels(log: string[]): TunnelService & { push(s: TunnelStatus): void } {
  const statuses = new Map<TargetId, TunnelStatus>()
  const listeners = new Set<(s: TunnelStatus) => void>()
  const status = (targetId: TargetId, state: TunnelStatus['state']): TunnelStatus => ({
    targetId,
    state,
    localPort: state === 'open' ? 15432 : null,
    sessionIds: [],
    mode: null,
    agentVersion: null,
    bytesIn: 0,
    bytesOut: 0,
    openStreams: 0,
    since: 0,
    openedAt: null,
    tokenIssuedAt: null,
    lastError: null,
    endReason: null,
  })
  return {
    async connect(target: Target) {
      log.push(`connect ${target.name}`)
      const s = status(target.id, 'open')
      statuses.set(target.id, s)
      return s
    },
    async disconnect(id) {
      log.push(`disconnect ${id}`)
      const s = status(id, 'closed')
      statuses.set(id, s)
      return s
    },
    list: () => [...statuses.values()],
    get: (id) => statuses.get(id),
    onStatus(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async closeAll() {
      log.push('closeAll')
    },
    async resize(id, size) {
      log.push(`resize ${id} ${size}`)
      return statuses.get(id)
    },
    push(s) {
      for (const l of listeners) l(s)
    },
  }
}

describe('engine', () => {
  it('saves, lists and emits onTargetsChanged', async () => {
    const engine = newEngine()
    const seen: string[][] = []
    engine.bus.on('onTargetsChanged', (targets) => seen.push(targets.map((t) => t.name)))
    const saved = await engine.handlers.saveTarget(parseArg('saveTarget', input))
    assert.deepEqual(
      (await engine.handlers.listTargets(undefined)).map((t) => t.id),
      [saved.id],
    )
    assert.deepEqual(seen, [['Orders']])
    const info = await engine.handlers.getAppInfo(undefined)
    assert.equal(info.version, '9.9.9')
    assert.equal(info.shell, 'web')
    assert.equal(info.storeProblem, null)
    assert.equal(info.awsConfigured, false)
    await engine.close()
  })

  it('creates the demo target once', async () => {
    const engine = newEngine()
    const a = await engine.handlers.createDemoTarget(undefined)
    const b = await engine.handlers.createDemoTarget(undefined)
    assert.equal(a.id, b.id)
    assert.equal(a.rdsHost, DEMO.rdsHost)
    assert.equal(a.demo, true)
    assert.equal(a.color, 'purple')
    assert.deepEqual(a.tags, ['demo'])
    assert.equal((await engine.handlers.listTargets(undefined)).length, 1)
    await engine.close()
  })

  it('rejects tunnel and database methods with UNAVAILABLE when no service is plugged in', async () => {
    const engine = newEngine()
    const t = await engine.handlers.saveTarget(parseArg('saveTarget', input))
    await assert.rejects(engine.handlers.connectTarget({ targetId: t.id }), (err: unknown) => {
      assert.ok(err instanceof PortholeError)
      assert.equal(err.code, 'UNAVAILABLE')
      return true
    })
    await assert.rejects(engine.handlers.listSchema({ targetId: t.id }), /not available/)
    assert.deepEqual(await engine.handlers.listTunnels(undefined), [])
    await engine.close()
  })

  it('delegates to the tunnel service, forwards status, and disconnects before deleting', async () => {
    const log: string[] = []
    const tunnels = recordingTunnels(log)
    const engine = newEngine({ tunnels })
    const t = await engine.handlers.saveTarget(parseArg('saveTarget', input))
    const statuses: string[] = []
    engine.bus.on('onTunnelChanged', (s) => statuses.push(s.state))
    assert.equal((await engine.handlers.connectTarget({ targetId: t.id })).state, 'open')
    tunnels.push({ ...tunnels.get(t.id)!, state: 'resuming' })
    assert.deepEqual(statuses, ['resuming'])
    engine.bus.on('onTargetsChanged', () => log.push('targets changed'))
    assert.deepEqual(await engine.handlers.deleteTarget({ targetId: t.id }), { deleted: true })
    assert.deepEqual(log, ['connect Orders', `disconnect ${t.id}`, 'targets changed'])
    await assert.rejects(engine.handlers.connectTarget({ targetId: t.id }), /No saved target/)
    await engine.close()
    assert.equal(log.at(-1), 'closeAll')
  })
})
