// The in-memory fake the e2e UI tests run against must answer exactly what the contract promises:
// every method is called once or more through a realistic flow, and every result and every event
// is parsed with the contract's own output/event schema. A fake that drifts from the engine fails here.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type EventName,
  eventNames,
  events,
  type MethodName,
  methodNames,
  methods,
  type PortholeApi,
} from '../../../shared/ipc/contract'
import type { MfaPrompt } from '../../../shared/ipc/models'
import { defined } from '../../fixtures/defined'
import { createFakeApi } from '../../fixtures/fake-api/fake-api'

interface Checked {
  api: PortholeApi
  called: Set<MethodName>
  problems: string[]
}

/** Wraps the fake so every result and event is checked against the contract. */
function checked(api: PortholeApi): Checked {
  const called = new Set<MethodName>()
  const problems: string[] = []
  for (const event of eventNames) {
    api[event]((payload: unknown) => {
      const r = events[event as EventName].safeParse(payload)
      if (!r.success) problems.push(`${event}: ${r.error.message}`)
    })
  }
  const wrapped = new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof prop !== 'string' || !(methodNames as string[]).includes(prop)) return value
      const method = prop as MethodName
      return async (arg: unknown) => {
        called.add(method)
        const result = await (value as (a: unknown) => Promise<unknown>)(arg)
        const r = methods[method].output.safeParse(result)
        if (!r.success) problems.push(`${method}: ${r.error.message}`)
        return result
      }
    },
  })
  return { api: wrapped, called, problems }
}

test('every fake method and event matches the contract schemas', async () => {
  const fake = createFakeApi({ stepMs: 1 })
  const { api, called, problems } = checked(fake)
  try {
    await api.getAppInfo()
    await api.listProfiles()
    const demo = await api.createDemoTarget()
    const mfaTarget = await api.saveTarget({
      name: 'with mfa',
      region: 'us-east-1',
      instanceId: 'i-0123456789abcdef0',
      rdsHost: 'db.abc.us-east-1.rds.amazonaws.com',
      rdsPort: 5432,
      database: 'app',
      dbUser: 'iam_app',
      awsProfile: 'mfa',
    })
    const copy = await api.duplicateTarget({ targetId: mfaTarget.id })
    const { json } = await api.exportTargets()
    await api.previewImport({ json })
    await api.importTargets({ json })
    await api.listTargets()

    const prompts: MfaPrompt[] = []
    const off = api.onMfaPrompt((p) => {
      prompts.push(p)
      void api.answerMfaPrompt({ promptId: p.promptId, code: '123456' })
    })
    await api.connectTarget({ targetId: mfaTarget.id })
    off()
    assert.equal(prompts.length, 1, 'the MFA profile asked once')

    await api.connectTarget({ targetId: demo.id })
    await api.listTunnels()
    const tree = await api.listSchema({ targetId: demo.id })
    const schema = defined(
      tree.schemas.find((s) => s.relations.length > 0),
      'a schema with relations',
    )
    const rel = defined(schema.relations[0], 'a relation')
    await api.describeTable({ targetId: demo.id, schema: schema.name, name: rel.name })
    await api.previewTable({ targetId: demo.id, schema: schema.name, name: rel.name })
    const q = await api.runQuery({
      targetId: demo.id,
      queryId: 'drift-0001',
      sql: 'select * from orders',
      pageSize: 50,
    })
    await api.fetchRows({ queryId: q.queryId, resultIndex: 0, count: 50 })
    await api.exportResult({ targetId: demo.id, queryId: q.queryId, resultIndex: 0, format: 'csv' })
    await api.closeQuery({ queryId: q.queryId })
    const slow = api.runQuery({ targetId: demo.id, queryId: 'drift-0002', sql: 'select pg_sleep(60)' })
    await new Promise((r) => setTimeout(r, 20))
    await api.cancelQuery({ queryId: 'drift-0002' })
    await slow
    await api.runQuery({ targetId: demo.id, queryId: 'drift-0003', sql: 'select * from no_such_table' })
    await api.listHistory({ targetId: demo.id })
    await api.listHistory({ targetId: demo.id, search: 'orders', limit: 5 })
    await api.clearHistory({ targetId: demo.id })
    await api.countRows({ targetId: demo.id, schema: schema.name, name: rel.name })
    await api.saveEditorTabs({
      targetId: demo.id,
      tabs: [{ id: 'tab_drift1', title: 'Query 1', sql: 'select 1' }],
      activeTabId: 'tab_drift1',
    })
    const saved = await api.saveQuery({ targetId: demo.id, name: 'drift', sql: 'select 2' })
    await api.getWorkspace({ targetId: demo.id })
    await api.deleteSavedQuery({ targetId: demo.id, id: saved.id })
    await api.saveUiSettings({ theme: 'dark' })
    await api.getUiSettings()
    await api.getTargetActivity({ targetId: demo.id })
    await api.getConnectionStrings({ targetId: demo.id, withToken: true })
    await api.startProxy({ targetId: demo.id })
    await api.listProxies()
    await api.getProxySecret({ targetId: demo.id })
    await api.stopProxy({ targetId: demo.id })
    await api.listAuditLog({ limit: 50 })
    await api.disconnectTarget({ targetId: demo.id })
    await api.deleteTarget({ targetId: copy.id })

    // AWS accounts: profiles, who-am-I, the sign-in (its event arrives after a few steps), discovery.
    await api.listProfileDetails()
    await api.getCallerIdentity({ profile: 'default' })
    const signedIn = new Promise((resolve) => api.onSsoLogin(resolve))
    const login = await api.startSsoLogin({ profile: 'dev-sso' })
    await api.openSsoVerification({ loginId: login.loginId })
    await signedIn
    await api.cancelSsoLogin({ loginId: login.loginId })
    await api.discoverResources({ profile: 'dev-sso', regions: ['us-east-1'] })
  } finally {
    fake.dispose()
  }
  assert.deepEqual(problems, [])
  assert.deepEqual(
    methodNames.filter((m) => !called.has(m)),
    [],
    'every contract method is exercised',
  )
})

test('a result that drifts from the schema is reported', async () => {
  const fake = createFakeApi({ stepMs: 1 })
  try {
    const drifted = Object.assign(Object.create(fake) as PortholeApi, {
      getAppInfo: async () => ({ version: 1, shell: 'tty' }),
    })
    const { api, problems } = checked(drifted)
    await api.getAppInfo()
    assert.equal(problems.length, 1)
    assert.match(problems[0] ?? '', /^getAppInfo:/)
  } finally {
    fake.dispose()
  }
})
