import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IpcMain, IpcRenderer, WebContents } from 'electron'
import { EventBus } from '../../../electron/base/event-bus'
import { silentLogger } from '../../../electron/base/logger'
import type { Dispatch } from '../../../electron/ipc/dispatcher'
import { type isTrustedSender, registerElectronIpc } from '../../../electron/ipc/electron-ipc'
import { createPreloadBridge } from '../../../electron/ipc/electron-preload-bridge'
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../../shared/ipc/contract'

type Frame = { url: string; parent: Frame | null }

function senderEvent(url: string | null, opts: { subframe?: boolean } = {}) {
  const main: Frame = { url: url ?? '', parent: null }
  const sub: Frame = { url: url ?? '', parent: main }
  const frame = url === null ? null : opts.subframe ? sub : main
  return { senderFrame: frame, sender: { mainFrame: main } } as unknown as Parameters<
    typeof isTrustedSender
  >[0]
}

describe('Electron IPC registration', () => {
  it('dispatches only calls from our own main frame', async () => {
    const handlers = new Map<string, (...a: unknown[]) => unknown>()
    const ipcMain = {
      handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn),
      removeHandler: (ch: string) => handlers.delete(ch),
    } as unknown as IpcMain
    const dispatched: unknown[] = []
    const dispatch: Dispatch = async (method) => {
      dispatched.push(method)
      return { ok: true, result: 'ran' }
    }
    const sent: unknown[] = []
    const contents = {
      isDestroyed: () => false,
      send: (ch: string, msg: unknown) => sent.push([ch, msg]),
    } as unknown as WebContents
    const bus = new EventBus()
    const undo = registerElectronIpc({
      ipcMain,
      dispatch,
      bus,
      appOrigin: 'app://porthole',
      targets: () => [contents],
      logger: silentLogger,
    })
    const call = handlers.get(CALL_CHANNEL)!
    assert.deepEqual(await call(senderEvent('app://porthole/index.html'), 'listTargets'), {
      ok: true,
      result: 'ran',
    })
    for (const event of [
      senderEvent('https://evil.example/'),
      senderEvent('app://porthole.evil/'),
      senderEvent('app://porthole/index.html', { subframe: true }),
      senderEvent(null),
    ]) {
      const envelope = (await call(event, 'listTargets')) as { ok: boolean; error?: { code: string } }
      assert.equal(envelope.ok, false)
      assert.equal(envelope.error?.code, 'ACCESS_DENIED')
    }
    assert.deepEqual(dispatched, ['listTargets'])

    bus.emit('onLogLine', { time: 1, level: 'info', scope: 's', message: 'm' })
    assert.deepEqual(sent, [
      [EVENT_CHANNEL, { event: 'onLogLine', payload: { time: 1, level: 'info', scope: 's', message: 'm' } }],
    ])
    undo()
    assert.equal(handlers.has(CALL_CHANNEL), false)
    bus.emit('onLogLine', { time: 2, level: 'info', scope: 's', message: 'm' })
    assert.equal(sent.length, 1)
  })

  it('the preload bridge refuses unknown names and never leaks the IPC event', async () => {
    const invoked: unknown[] = []
    const listeners = new Set<(...a: unknown[]) => void>()
    const ipc = {
      invoke: async (...args: unknown[]) => {
        invoked.push(args)
        return { ok: true, result: 42 }
      },
      on: (_ch: string, l: (...a: unknown[]) => void) => listeners.add(l),
      removeListener: (_ch: string, l: (...a: unknown[]) => void) => listeners.delete(l),
    } as unknown as IpcRenderer
    const bridge = createPreloadBridge(ipc)
    assert.deepEqual(await bridge.call('listTargets', undefined), { ok: true, result: 42 })
    const refused = await bridge.call('__proto__', undefined)
    assert.equal(refused.ok, false)
    assert.deepEqual(invoked, [[CALL_CHANNEL, 'listTargets', undefined]])
    assert.throws(() => bridge.subscribe('send', () => {}), /Unknown event/)

    const got: unknown[][] = []
    const off = bridge.subscribe('onTargetsChanged', (...args) => got.push(args))
    const fakeIpcEvent = { sender: { send: () => 'raw ipc!' } }
    for (const l of listeners) {
      l(fakeIpcEvent, { event: 'onTargetsChanged', payload: [] })
      l(fakeIpcEvent, { event: 'onLogLine', payload: 'other' })
    }
    assert.deepEqual(got, [[[]]], 'listener gets the payload only, and only for its event')
    off()
    assert.equal(listeners.size, 0)
  })
})
