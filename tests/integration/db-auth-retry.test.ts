// Auth failures through the sim gate: one forced credential refresh and retry, a clear AUTH_FAILED
// when that does not help, and TUNNEL_CLOSED when nothing listens on the tunnel port.
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { after, before, test } from 'node:test'
import { silentLogger } from '../../electron/base/logger'
import { createDbService } from '../../electron/db/db-service'
import { CREDS, type DbFixture, startDbFixture } from '../fixtures/db/db-fixture'

let fx: DbFixture
const calls: boolean[] = []
let healthyAfterRefresh = true
before(async () => {
  // Stale keys until a forced refresh, like rotated credentials still cached in memory.
  fx = await startDbFixture({
    credentials: async (opts) => {
      calls.push(Boolean(opts?.forceRefresh))
      return opts?.forceRefresh && healthyAfterRefresh ? CREDS : { ...CREDS, secretAccessKey: 'rotated-away' }
    },
  })
})
after(async () => {
  await fx.close()
})

test('a refused token triggers one forced credential refresh and a successful retry', async () => {
  const tree = await fx.service.listSchema(fx.target)
  assert.ok(tree.schemas.some((s) => s.name === 'public'))
  assert.deepEqual(calls, [false, true])
})

test('when the refreshed credentials are refused too, the error is AUTH_FAILED with guidance', async () => {
  healthyAfterRefresh = false
  calls.length = 0
  await fx.service.closeTarget(fx.target.id)
  await assert.rejects(
    fx.service.listSchema(fx.target),
    (err: { code: string; message: string; info: { hint?: string } }) => {
      assert.equal(err.code, 'AUTH_FAILED')
      assert.match(err.message, /PAM authentication failed/)
      assert.match(err.info.hint ?? '', /rds_iam/)
      assert.match(err.info.hint ?? '', /rds-db:connect/)
      return true
    },
  )
  assert.deepEqual(calls, [false, true], 'retried exactly once')
})

test('a closed tunnel port is TUNNEL_CLOSED', async () => {
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>((r) => probe.close(() => r()))
  const svc = createDbService({
    dataDir: fx.dir,
    signerFor: () => fx.signer,
    ensureTunnel: async () => port,
    logger: silentLogger,
  })
  try {
    await assert.rejects(svc.listSchema(fx.target), { code: 'TUNNEL_CLOSED' })
  } finally {
    await svc.closeAll()
  }
})
