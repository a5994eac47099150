import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { after, before, describe, it } from 'node:test'
import type { IpcRenderer } from 'electron'
import WebSocket from 'ws'
import * as z from 'zod'
import { EventBus } from '../../../electron/base/event-bus'
import { silentLogger } from '../../../electron/base/logger'
import { type Bridge, startBridge } from '../../../electron/bridge/bridge-server'
import { createDispatcher } from '../../../electron/ipc/dispatcher'
import {
  createPreloadBridge,
  PRELOAD_EVENTS,
  PRELOAD_METHODS,
} from '../../../electron/ipc/electron-preload-bridge'
import { bridgeProtocols } from '../../../shared/ipc/bridge-protocol'
import {
  type CallEnvelope,
  eventNames,
  events,
  methodNames,
  methods,
  type PortholeHandlers,
} from '../../../shared/ipc/contract'

// '' is left out of the bridge probe: the bridge closes the socket on a malformed message (1008).
const BOGUS = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'eval',
  'listtargets',
  'porthole:call',
]

/** A handler table that only records that it ran: nothing in these tests may reach it. */
const ran: string[] = []
const handlers = Object.fromEntries(
  methodNames.map((m) => [
    m,
    async () => {
      ran.push(m)
      return null
    },
  ]),
) as unknown as PortholeHandlers

const dir = mkdtempSync(`${tmpdir()}/porthole-contract-`)
let bridge: Bridge
let ws: WebSocket
const replies = new Map<number, CallEnvelope>()
const waiting = new Map<number, () => void>()

before(async () => {
  bridge = await startBridge({
    dispatch: createDispatcher(handlers),
    bus: new EventBus(),
    staticDir: dir,
    logger: silentLogger,
  })
  ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/ipc`, bridgeProtocols(bridge.token), {
    headers: { origin: `http://127.0.0.1:${bridge.port}` },
  })
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id: number; envelope: CallEnvelope }
    replies.set(msg.id, msg.envelope)
    waiting.get(msg.id)?.()
  })
  await new Promise((r) => ws.once('open', r))
})
after(async () => {
  ws.close()
  await bridge.close()
  rmSync(dir, { recursive: true, force: true })
})

let nextId = 1
async function bridgeCall(method: string, arg: unknown): Promise<CallEnvelope> {
  const id = nextId++
  // A closed socket must fail the test, not hang it.
  const got = new Promise<void>((r, reject) => {
    waiting.set(id, r)
    ws.once('close', () => reject(new Error(`bridge closed the socket while ${method} was pending`)))
  })
  ws.send(JSON.stringify({ id, method, arg }))
  await got
  return replies.get(id)!
}

describe('IPC contract', () => {
  it('every method has input and output schemas, every event a payload schema', () => {
    assert.ok(methodNames.length > 0)
    for (const name of methodNames) {
      // $ZodType: classic and zod/mini schemas alike (the target schema is mini, the rest classic).
      assert.ok(methods[name].input instanceof z.core.$ZodType, `${name}.input`)
      assert.ok(methods[name].output instanceof z.core.$ZodType, `${name}.output`)
    }
    for (const name of eventNames) {
      assert.ok(events[name] instanceof z.core.$ZodType, name)
      assert.match(name, /^on[A-Z]/, 'events are named on[A-Z]…')
    }
  })

  it('the bridge and the preload accept exactly the contract method names (compared)', async () => {
    const probe = [...methodNames, ...BOGUS]
    const bridgeAccepts = new Set<string>()
    for (const name of probe) {
      const envelope = await bridgeCall(name, { __bogus: true })
      assert.equal(envelope.ok, false)
      if (!envelope.ok && !envelope.error.message.startsWith('Unknown method')) bridgeAccepts.add(name)
    }
    const invoked: string[] = []
    const preload = createPreloadBridge({
      invoke: async (_ch: string, method: string) => {
        invoked.push(method)
        return { ok: true, result: null }
      },
      on: () => {},
      removeListener: () => {},
    } as unknown as IpcRenderer)
    const preloadAccepts = new Set<string>()
    for (const name of [...probe, '']) if ((await preload.call(name, undefined)).ok) preloadAccepts.add(name)

    assert.deepEqual([...bridgeAccepts].sort(), [...methodNames].sort())
    assert.deepEqual([...preloadAccepts].sort(), [...bridgeAccepts].sort())
    assert.deepEqual([...PRELOAD_METHODS].sort(), [...methodNames].sort())
    assert.deepEqual([...PRELOAD_EVENTS].sort(), [...eventNames].sort())
    assert.deepEqual(invoked.sort(), [...methodNames].sort(), 'unknown names never reach ipcRenderer')
  })

  it('refuses invalid payloads with a VALIDATION error naming the field; the handler never runs', async () => {
    ran.length = 0
    for (const name of methodNames) {
      const envelope = await bridgeCall(name, { __bogus: true })
      assert.equal(envelope.ok ? 'ok' : envelope.error.code, 'VALIDATION', name)
    }
    const bad = await bridgeCall('saveTarget', {
      name: 'x',
      region: 'Europe',
      instanceId: 'i-0123456789abcdef0',
      rdsHost: 'db.example.com',
      database: 'd',
      dbUser: 'u',
    })
    assert.equal(bad.ok, false)
    if (!bad.ok) {
      assert.equal(
        bad.error.message,
        'Invalid argument for saveTarget: region is not an AWS region such as us-east-1',
      )
      assert.deepEqual(
        bad.error.issues?.map((i) => i.path),
        ['region'],
      )
    }
    const port = await bridgeCall('previewTable', {
      targetId: 't_abcdefgh',
      schema: 's',
      name: 'n',
      limit: 5000,
    })
    assert.equal(port.ok ? '' : port.error.issues?.[0]?.path, 'limit')
    assert.deepEqual(ran, [], 'no handler ran for an invalid payload')
    // The control: a valid call does reach its handler.
    assert.equal((await bridgeCall('listTargets', undefined)).ok, true)
    assert.deepEqual(ran, ['listTargets'])
  })
})
