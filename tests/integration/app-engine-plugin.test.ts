// The session-manager-plugin backend through the whole app engine: a `backend: 'plugin'` target is
// started on the (simulated) SSM service, the plugin-mimicking script is spawned with the target's
// region, endpoint and in-process credentials, relays traffic, and Disconnect ends it.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createDispatcher, type Dispatch } from '../../electron/ipc/dispatcher'
import type { MethodInput, MethodName, MethodOutput } from '../../shared/ipc/contract'
import type { Target } from '../../shared/target-schema'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { echoThrough, seededBytes, sha256, startEcho } from '../fixtures/tunnel/helpers'

const script = fileURLToPath(new URL('../fixtures/fake-session-manager-plugin.mjs', import.meta.url))

let te: TestEngine
let call: Dispatch
let echo: Awaited<ReturnType<typeof startEcho>>
let dir: string
let target: Target

const ok = async <M extends MethodName>(method: M, arg?: MethodInput<M>): Promise<MethodOutput<M>> => {
  const env = await call(method, arg)
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`)
  return env.result as MethodOutput<M>
}

before(async () => {
  echo = await startEcho()
  dir = await mkdtemp(join(tmpdir(), 'porthole-plugin-engine-'))
  te = await startTestEngine({
    env: { FAKE_PLUGIN_FORWARD_PORT: String(echo.port), FAKE_PLUGIN_ARGV_FILE: join(dir, 'argv.json') },
    plugin: { command: process.execPath, prefixArgs: [script] },
  })
  call = createDispatcher(te.engine.handlers)
  const demo = await ok('createDemoTarget')
  const { createdAt: _c, updatedAt: _u, ...fields } = demo
  target = await ok('saveTarget', { ...fields, backend: 'plugin' })
})

after(async () => {
  await te?.close()
  await echo?.close()
  await rm(dir, { recursive: true, force: true })
})

test('connect runs the plugin with the routed region, endpoint and credentials, and relays', async () => {
  const status = await ok('connectTarget', { targetId: target.id })
  assert.equal(status.state, 'open')
  assert.equal(status.mode, 'plugin')
  assert.equal(status.sessionIds.length, 1)
  const data = seededBytes(7, 20_000)
  assert.equal(sha256(await echoThrough(status.localPort ?? 0, data)), sha256(data))

  const sim = te.sim()
  assert.ok(sim, 'the demo simulator was started by routing')
  const seen = JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8')) as {
    argv: string[]
    accessKeyId: string | null
  }
  assert.deepEqual(seen.argv.slice(1, 4), [sim.region, 'StartSession', ''])
  assert.equal(seen.argv[5], sim.endpoint)
  assert.equal(
    seen.accessKeyId,
    sim.credentials.accessKeyId,
    'credentials resolved in-process, passed by env',
  )
  assert.match(seen.argv[4] ?? '', /"Target":"i-[0-9a-f]+"/)
})

test('disconnect ends the plugin tunnel', async () => {
  const closed = await ok('disconnectTarget', { targetId: target.id })
  assert.equal(closed.state, 'closed')
  const [listed] = await ok('listTunnels')
  assert.equal(listed?.state, 'closed')
})
