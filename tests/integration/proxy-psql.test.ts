// Issue 17: psql with no password and no token in its environment reaches the demo database
// through the local auth proxy, over TCP (local secret from the pgpass file) and the Unix socket.
import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import { after, before, test } from 'node:test'
import {
  cleanEnv,
  connectClient,
  type ProxyFixture,
  psql,
  startProxyFixture,
} from '../fixtures/proxy-fixture'
import { waitFor } from '../fixtures/wait-for'

let fx: ProxyFixture
before(async () => {
  fx = await startProxyFixture()
})
after(async () => {
  await fx?.close()
})

test('psql over TCP with only PGPASSFILE in its environment', async () => {
  assert.equal(fx.psqlEnv.PGPASSWORD, undefined)
  assert.ok(!Object.keys(fx.psqlEnv).some((k) => k.startsWith('AWS_')))
  const out = await psql(fx.psqlEnv, [fx.tcp, '-At', '-c', 'select 40 + 2, current_database()'])
  assert.equal(out.trim(), `42|${fx.target.database}`)
})

test('psql over the Unix socket needs no secret at all; folder 0700, socket 0600', async () => {
  const out = await psql(cleanEnv(), [fx.unix, '-At', '-c', 'select 7'])
  assert.equal(out.trim(), '7')
  const dir = fx.status.socketDir ?? assert.fail('no socket dir')
  assert.equal(statSync(dir).mode & 0o777, 0o700)
  assert.equal(statSync(`${dir}/.s.PGSQL.${fx.status.port}`).mode & 0o777, 0o600)
  assert.equal(statSync(dirname(fx.status.pgpassFile ?? '')).mode & 0o777, 0o700)
  assert.equal(statSync(fx.status.pgpassFile ?? '').mode & 0o777, 0o600)
})

test('the port is pinned on the target at first start', async () => {
  const saved = await fx.te.store.get(fx.target.id)
  assert.equal(saved?.proxyPort, fx.status.port)
})

test('a wrong local secret is 28P01 from the proxy; the proxy keeps serving', async () => {
  await assert.rejects(
    connectClient(fx.pgConfig({ password: 'not-the-secret' })),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, '28P01')
      assert.match(err.message, /local secret/)
      return true
    },
  )
  await assert.rejects(psql(cleanEnv({ PGPASSWORD: 'wrong' }), [fx.tcp, '-c', 'select 1']), /local secret/)
  const c = await connectClient(fx.pgConfig())
  assert.equal((await c.query('select 1 as n')).rows[0].n, 1)
  await c.end()
})

test('another database user is refused with 28000 naming the proxy user', async () => {
  await assert.rejects(
    connectClient(fx.pgConfig({ user: 'someone_else' })),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, '28000')
      assert.match(err.message, new RegExp(fx.target.dbUser))
      return true
    },
  )
})

test('status lists connected clients with application_name and bytes; the audit log records them', async () => {
  const c = await connectClient(fx.pgConfig({ application_name: 'audit-probe' }))
  await c.query('select repeat($1, 1000)', ['x'])
  const live = (await fx.te.engine.handlers.listProxies(undefined)).find((p) => p.targetId === fx.target.id)
  const me = live?.clients.find((cl) => cl.applicationName === 'audit-probe')
  assert.ok(me, 'client listed')
  assert.equal(me.transport, 'tcp')
  assert.ok(me.sessionIds.length > 0)
  await c.end()
  let entry: Awaited<ReturnType<typeof fx.te.engine.handlers.listAuditLog>>[number] | undefined
  await waitFor(
    async () => {
      entry = (await fx.te.engine.handlers.listAuditLog({ limit: 50 })).find(
        (e) => e.applicationName === 'audit-probe',
      )
      return entry !== undefined
    },
    { what: 'the audit entry for audit-probe', everyMs: 50 },
  )
  assert.ok(entry, 'audit entry written')
  assert.equal(entry.kind, 'proxy-client')
  assert.match(entry.principalArn ?? '', /^arn:aws:/)
  assert.ok(entry.bytesIn > 1000)
  assert.equal(entry.ended, 'client closed')
  assert.ok(!JSON.stringify(entry).includes(fx.secret))
})
