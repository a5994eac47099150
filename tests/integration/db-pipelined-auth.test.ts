// Issue 16, fewer round trips per connection: the engine's pools send the IAM token right behind
// the StartupMessage instead of waiting for RDS's AuthenticationCleartextPassword, and a query that
// arrives while the prewarm connection starts up sends its first statement right behind that token.
// Scripted servers (TLS with a test CA, real sockets, pg on the client side) show that the token and
// the statement arrive unasked and are not sent twice, and that a server asking for MD5 or nothing at
// all (trust) turns the early token off and still gets the ordinary exchange after one retry, with
// the statement run once.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo, Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { silentLogger } from '../../electron/base/logger'
import { createPoolRegistry, type TargetPools } from '../../electron/db/pool-registry'
import { createQueryRunner } from '../../electron/db/query-runner'
import { createTestCa, type IssuedCert } from '../../sim/rds/test-ca'
import { type AuthMode as Mode, type Seen, startScriptedPgServer } from '../fixtures/db/scripted-pg-server'

const HOST = 'pipelined.c0ffee.us-east-1.rds.amazonaws.com'

let cert: IssuedCert
let dir: string
let caFile: string
const servers: Server[] = []
before(async () => {
  const ca = await createTestCa()
  cert = await ca.issueServerCert([HOST])
  dir = mkdtempSync(join(tmpdir(), 'porthole-pipelined-'))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, ca.caPem)
})
after(() => {
  for (const s of servers) s.close()
  rmSync(dir, { recursive: true, force: true })
})

async function serverFor(mode: Mode, holdSyncs?: number) {
  const seen: Seen = { passwords: [], queries: [], beforeReply: [] }
  const server = await startScriptedPgServer(cert, { mode, holdSyncs }, seen)
  servers.push(server)
  let n = 0
  const registry = createPoolRegistry({
    logger: silentLogger,
    signerFor: () => ({
      signToken: async () => ({
        token: `token-${++n}`,
        issuedAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      }),
    }),
  })
  const target = {
    id: `t-${mode}`,
    rdsHost: HOST,
    rdsPort: 5432,
    dbUser: 'iam_user',
    database: 'app',
    caFile,
  }
  const pools = registry.get(target as never, (server.address() as AddressInfo).port)
  return { seen, registry, pools }
}

async function connectThrough(mode: Mode) {
  const { seen, registry, pools } = await serverFor(mode)
  const client = await pools.connect('query')
  await client.query('select 1')
  client.release()
  await registry.closeAll()
  return seen
}

/** Starts the prewarm connection and, in the same tick, runs `sql` as the console does. */
async function queryWhileWarming(mode: Mode, sql: string, holdSyncs?: number) {
  const { seen, registry, pools } = await serverFor(mode, holdSyncs)
  const runner = createQueryRunner({ logger: silentLogger, spillDir: dir })
  const early: boolean[] = []
  const lease = pools.lease
  pools.lease = async (): ReturnType<TargetPools['lease']> => {
    const l = await lease()
    early.push(l.connected !== null)
    return l
  }
  pools.warm().catch(() => undefined) // a refused warm-up is the query's to retry
  const result = await runner.runQuery(pools, { queryId: `q-${mode}`, sql, pageSize: 10 })
  await runner.closeQuery(`q-${mode}`)
  await registry.closeAll()
  return { seen, result, early }
}

const PROBE = 'SELECT txid_current_if_assigned() IS NOT NULL'

test('the token follows the startup message unasked, and is not sent again when RDS asks', async () => {
  const seen = await connectThrough('rds')
  assert.deepEqual(seen.passwords, [{ asked: false, body: 'token-1' }])
  assert.deepEqual(
    seen.queries,
    ['select 1'],
    'the next message after auth was the query, not a second token',
  )
})

test('a server that asks for MD5 gets the ordinary exchange after one refused early token', async () => {
  const seen = await connectThrough('md5')
  assert.equal(seen.passwords.length, 2)
  assert.equal(seen.passwords[0]!.body, 'token-1', 'the first connection sent its token early')
  assert.match(seen.passwords[1]!.body, /^md5[0-9a-f]{32}$/, 'the retry answered the MD5 challenge')
  assert.deepEqual(seen.queries, ['select 1'])
})

test('a trust server (no password asked) is redialled without the early token', async () => {
  const seen = await connectThrough('trust')
  // The first connection's early token lands after AuthenticationOk and is refused (08P01).
  assert.deepEqual(seen.passwords, [{ asked: false, body: 'token-1' }])
  assert.deepEqual(seen.queries, ['select 1'], 'the retry sent no token and ran the query')
})

test('a query arriving while the connection starts up sends its first statement behind the token', async () => {
  // The server answers nothing after the token until both batches (SET and the statement) arrived:
  // a client that waited for the login to finish would stall here.
  const { seen, result, early } = await queryWhileWarming('rds', 'select 1 as one', 2)
  assert.deepEqual(early, [true], 'the query took the connection that was still starting up')
  assert.equal(result.error, null)
  assert.deepEqual(result.results[0]?.rows, [['1']])
  assert.deepEqual(seen.passwords, [{ asked: false, body: 'token-1' }])
  assert.deepEqual(seen.beforeReply[0], [
    'p',
    'P',
    'B',
    'E',
    'S',
    'P',
    'B',
    'E',
    'P',
    'B',
    'D',
    'E',
    'P',
    'B',
    'E',
    'S',
  ])
  assert.deepEqual(seen.queries.slice(0, 4), ['SET statement_timeout = 0', 'BEGIN', 'select 1 as one', PROBE])
  assert.equal(seen.queries.filter((q) => q === 'select 1 as one').length, 1, 'the statement ran once')
})

for (const mode of ['md5', 'trust'] as const)
  test(`a ${mode} server refuses the early token and statement; the retry runs the statement once`, async () => {
    const { seen, result, early } = await queryWhileWarming(mode, 'select 1 as one')
    assert.deepEqual(early, [true])
    assert.equal(result.error, null)
    assert.deepEqual(result.results[0]?.rows, [['1']])
    assert.equal(seen.passwords[0]?.body, 'token-1', 'the first connection sent its token early')
    assert.equal(seen.beforeReply.length, 2, 'two connections: the refused one and the retry')
    assert.equal(seen.queries.filter((q) => q === 'select 1 as one').length, 1, 'the statement ran once')
  })
