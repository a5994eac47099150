// Connect in fewer round trips: the first pooled connection opens while the tunnel comes up
// (prewarm), and later connections resume the TLS session instead of a full handshake.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import type { TLSSocket } from 'node:tls'
import type pg from 'pg'
import { sessionReusingClient } from '../../electron/db/pg-connect'
import { type DbFixture, RDS_HOST, startDbFixture } from '../fixtures/db/db-fixture'

let fx: DbFixture
before(async () => {
  fx = await startDbFixture()
})
after(async () => {
  await fx.close()
})

test('prewarm opens one authenticated connection once the tunnel is up, before any query', async () => {
  let markUp: (port: number) => void = () => {}
  const tunnel = new Promise<number>((r) => {
    markUp = r
  })
  const warming = fx.service.prewarm?.(fx.target, tunnel)
  assert.ok(warming, 'the service offers prewarm')
  // Credentials resolve and a token is signed while the tunnel is still opening.
  while (fx.tokens.length === 0) await new Promise((r) => setImmediate(r))
  assert.equal(fx.service.activity(fx.target.id).connections, 0, 'no connection before the tunnel is up')
  markUp(fx.gatePort)
  await warming
  assert.equal(fx.service.activity(fx.target.id).connections, 1, 'one pooled connection is ready')
  const before = fx.tokens.length
  const result = await fx.service.runQuery(fx.target, {
    queryId: 'q-prewarm',
    sql: 'select 1 as one',
    pageSize: 10,
  })
  assert.equal(result.results[0]?.rows[0]?.[0], '1')
  assert.equal(fx.tokens.length, before, 'the first query reused the warm connection (no new token)')
})

test('prewarm never rejects: a tunnel that fails only skips it', async () => {
  await fx.service.prewarm?.(fx.target, Promise.reject(new Error('tunnel failed')))
})

test('a second connection resumes the TLS session of the first (pg passes ssl.session to tls.connect)', async () => {
  const ssl = { servername: RDS_HOST, rejectUnauthorized: true, ca: readFileSync(fx.target.caFile!, 'utf8') }
  const Client = sessionReusingClient(ssl)
  const reused: boolean[] = []
  for (let i = 0; i < 3; i++) {
    const token = await fx.signer.signToken(fx.target)
    const c = new Client({
      host: '127.0.0.1',
      port: fx.gatePort,
      user: fx.target.dbUser,
      database: fx.target.database,
      password: token.token,
      ssl,
    })
    await c.connect()
    await c.query('select 1')
    reused.push(((c as pg.Client).connection.stream as TLSSocket).isSessionReused())
    await c.end()
  }
  assert.equal(reused[0], false, 'the first connection does a full handshake')
  assert.ok(reused.slice(1).every(Boolean), `later connections resume: ${reused.join(',')}`)
})
