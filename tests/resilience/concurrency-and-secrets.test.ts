// 50 concurrent connections × 200 queries through one tunnel with 0 errors; then, after a full run
// (connect, query, a with-token connection string, disconnect), no token, secret key or session
// token is in the store, the data dir, the logs or the temp files the run created.
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import pg from 'pg'
import type { Engine } from '../../electron/engine/engine'
import type { LogLine } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'

let dir: string
let engine: Engine
let te: TestEngine
let demo: Target
const logs: LogLine[] = []
const tmpBefore = new Set<string>()

before(async () => {
  for (const n of await readdir(tmpdir())) tmpBefore.add(n)
  te = await startTestEngine({ logSink: (l) => logs.push(l) })
  dir = te.dir
  engine = te.engine
  engine.bus.on('onLogLine', (l) => logs.push(l))
  demo = await engine.handlers.createDemoTarget(undefined)
})
after(() => te.close())

test('50 concurrent connections × 200 queries through one tunnel: 0 errors', {
  timeout: 170_000,
}, async (t) => {
  const status = await engine.handlers.connectTarget({ targetId: demo.id })
  const sim = te.sim()
  const strings = await engine.handlers.getConnectionStrings({ targetId: demo.id, withToken: true })
  const password = /PGPASSWORD='([^']+)'/.exec(strings.withToken?.env ?? '')?.[1]
  assert.ok(password)
  if (sim?.databases[0]?.upstreamKind !== 'postgres')
    return t.skip('PGlite serves at most 8 connections; needs PostgreSQL')
  const db = sim.databases[0]
  let errors = 0
  let done = 0
  await Promise.all(
    Array.from({ length: 50 }, async (_, c) => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: status.localPort!,
        user: db.dbUser,
        database: db.database,
        password,
        ssl: { ca: sim!.caPem, servername: db.rdsHost },
      })
      await client.connect()
      for (let i = 0; i < 200; i++) {
        const r = await client.query('select $1::int + $2::int as s', [c, i]).catch(() => null)
        if (r?.rows[0]?.s === c + i) done++
        else errors++
      }
      await client.end()
    }),
  )
  assert.equal(errors, 0)
  assert.equal(done, 10_000)
})

test('after a full run nothing secret is in the store, data dir, logs or new temp files', async () => {
  await engine.handlers.runQuery({ targetId: demo.id, queryId: 'secrets-0001', sql: 'select 1', pageSize: 1 })
  await engine.handlers.disconnectTarget({ targetId: demo.id })
  const secrets = [te.sim()!.credentials.secretAccessKey, 'X-Amz-Signature=', 'Action=connect&DBUser']
  const text = logs.map((l) => l.message).join('\n')
  for (const s of secrets) assert.ok(!text.includes(s), `logs contain ${s.slice(0, 16)}…`)
  const files: string[] = []
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else files.push(p)
    }
  }
  await walk(dir)
  for (const n of await readdir(tmpdir()))
    if (!tmpBefore.has(n) && n.startsWith('porthole')) await walk(join(tmpdir(), n))
  assert.ok(
    files.some((f) => f.endsWith('targets.json')),
    'the store file was inspected',
  )
  for (const f of files) {
    const body = await readFile(f, 'utf8').catch(() => '')
    for (const s of secrets) assert.ok(!body.includes(s), `${f} contains ${s.slice(0, 16)}…`)
  }
})
