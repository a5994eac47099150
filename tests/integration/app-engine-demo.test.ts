// The whole engine as the app runs it, through the contract's own dispatcher: the demo target is
// created, connected through the simulated SSM session, queried over verified TLS with IAM tokens,
// and closed — the path a newcomer's first Connect takes.
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import pg from 'pg'
import type { Engine } from '../../electron/engine/engine'
import { createDispatcher, type Dispatch } from '../../electron/ipc/dispatcher'
import type { MethodInput, MethodName, MethodOutput } from '../../shared/ipc/contract'
import type { LogLine, TunnelStatus } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'

let te: TestEngine
let dir: string
let engine: Engine
let call: Dispatch
let demo: Target
const logs: LogLine[] = []
const statuses: TunnelStatus[] = []

const ok = async <M extends MethodName>(method: M, arg?: MethodInput<M>): Promise<MethodOutput<M>> => {
  const env = await call(method, arg)
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`)
  return env.result as MethodOutput<M>
}

before(async () => {
  te = await startTestEngine()
  dir = te.dir
  engine = te.engine
  engine.bus.on('onLogLine', (l) => logs.push(l))
  engine.bus.on('onTunnelChanged', (s) => statuses.push(s))
  call = createDispatcher(engine.handlers)
  demo = await ok('createDemoTarget')
})

after(() => te.close())

test('connect the demo target opens a tunnel on a loopback port', async () => {
  const status: TunnelStatus = await ok('connectTarget', { targetId: demo.id })
  assert.equal(status.state, 'open')
  assert.ok(status.localPort && status.localPort > 0)
  assert.equal(status.mode, 'mux')
  assert.equal(status.sessionIds.length, 1)
  assert.ok(statuses.some((s) => s.state === 'starting'))
})

test('browse and query the seeded demo database through the tunnel', async () => {
  const tree = await ok('listSchema', { targetId: demo.id })
  const pub = tree.schemas.find((s) => s.name === 'public')
  assert.ok(pub?.relations.some((r) => r.name === 'customers'))
  const res = await ok('runQuery', {
    targetId: demo.id,
    queryId: 'q-demo-0001',
    sql: 'select count(*) as n from customers; select 1/0',
  })
  assert.equal(res.results[0]?.rows[0]?.[0], '1000')
  assert.equal(res.error?.code, 'SQL_ERROR')
  assert.equal(res.error?.sql?.sqlstate, '22012')
  const after = statuses.at(-1)!
  assert.ok(after.tokenIssuedAt && after.tokenIssuedAt <= Date.now())
  assert.ok(after.bytesIn > 0 && after.bytesOut > 0)
})

test('connection strings verify the RDS name while dialling 127.0.0.1, and the token variant works', async () => {
  const status = statuses.at(-1)!
  const cs = await ok('getConnectionStrings', { targetId: demo.id, withToken: true })
  assert.match(cs.psql, /hostaddr=127\.0\.0\.1/)
  assert.match(cs.psql, new RegExp(`port=${status.localPort}`))
  assert.match(cs.psql, /sslmode=verify-full/)
  assert.ok(cs.withToken)
  // A third-party client using only what the user copied: the token is the password.
  const token = /PGPASSWORD='?([^'\s]+)/.exec(cs.withToken.env)?.[1]
  assert.ok(token, 'the with-token variant carries PGPASSWORD')
  const client = new pg.Client({
    host: '127.0.0.1',
    port: status.localPort!,
    user: 'iam_reader',
    database: demo.database, // PGlite ignores it; real PostgreSQL has the seeded 'demo'
    password: token,
    ssl: {
      ca: await readFile(cs.caFile, 'utf8'),
      servername: 'porthole-demo.c9akciq32.us-east-1.rds.amazonaws.com',
    },
  })
  client.connection.on('error', () => {})
  await client.connect()
  const r = await client.query('select current_user as u')
  assert.equal(r.rows[0].u, 'iam_reader')
  await client.end()
})

test('disconnect terminates the session; nothing secret was logged or written', async () => {
  const status: TunnelStatus = await ok('disconnectTarget', { targetId: demo.id })
  assert.equal(status.state, 'closed')
  const text = logs.map((l) => l.message).join('\n')
  assert.doesNotMatch(text, /X-Amz-Signature=[0-9a-f]{64}/)
  assert.doesNotMatch(text, /Action=connect&DBUser/)
  for (const name of await readdir(dir, { recursive: true })) {
    const file = join(dir, String(name))
    const body = await readFile(file, 'utf8').catch(() => '')
    assert.doesNotMatch(body, /X-Amz-Signature=/, `${name} holds a token`)
  }
})
