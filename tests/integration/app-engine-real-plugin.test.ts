// The app's `backend: 'plugin'` with AWS's real session-manager-plugin (not packaged for Debian or
// npm: built from aws/session-manager-plugin where it is on PATH; skipped with the reason
// elsewhere). The engine starts the session on the simulated SSM, spawns the plugin with the routed
// region, endpoint and in-process credentials, reads its real stdout to "Listening", and the demo
// database answers through it with a fresh IAM token and verify-full TLS.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import { createDispatcher, type Dispatch } from '../../electron/ipc/dispatcher'
import type { MethodInput, MethodName, MethodOutput } from '../../shared/ipc/contract'
import type { Target } from '../../shared/target-schema'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'

const skip = spawnSync('session-manager-plugin', ['--version']).error
  ? 'session-manager-plugin is not on PATH (build it from github.com/aws/session-manager-plugin)'
  : false

let te: TestEngine | undefined
let call: Dispatch
let target: Target

const ok = async <M extends MethodName>(method: M, arg?: MethodInput<M>): Promise<MethodOutput<M>> => {
  const env = await call(method, arg)
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`)
  return env.result as MethodOutput<M>
}

before(async () => {
  if (skip) return
  te = await startTestEngine({ plugin: { command: 'session-manager-plugin' } })
  call = createDispatcher(te.engine.handlers)
  const demo = await ok('createDemoTarget')
  const { createdAt: _c, updatedAt: _u, ...fields } = demo
  target = await ok('saveTarget', { ...fields, backend: 'plugin' })
})

after(async () => {
  await te?.close()
})

describe('the plugin backend with AWS session-manager-plugin', { skip }, () => {
  test('connect, query the demo database through the plugin, disconnect', async () => {
    const status = await ok('connectTarget', { targetId: target.id })
    assert.equal(status.state, 'open')
    assert.equal(status.mode, 'plugin')
    const [sessionId] = status.sessionIds
    assert.ok(sessionId && te?.sim()?.agent.sessionInfo(sessionId)?.mode === 'mux')
    const r = await ok('runQuery', {
      targetId: target.id,
      queryId: 'q_realplugin01',
      sql: 'select current_user as u, count(*)::int as n from generate_series(1, 50000)',
      pageSize: 10,
    })
    assert.equal(r.error, null)
    assert.deepEqual(r.results[0]?.rows, [[target.dbUser, '50000']])
    await ok('closeQuery', { queryId: 'q_realplugin01' })
    const closed = await ok('disconnectTarget', { targetId: target.id })
    assert.equal(closed.state, 'closed')
    assert.equal(te?.sim()?.agent.sessionInfo(sessionId)?.ended, true, 'the session was terminated')
  })
})
