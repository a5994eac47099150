// Other MySQL clients through the tunnel the app opened for the MySQL demo target: Debian's `mysql`
// (MariaDB's client) run from the copied connection string, and mysql2 driven by hand to check that
// the gate refuses what RDS refuses (expired token, wrong user, no TLS) with MySQL's exact 1045.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import net from 'node:net'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { DEMO_MYSQL } from '../../shared/demo'
import type { ConnectionStrings } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import { presignToken, signerToken } from '../fixtures/rds-tokens'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { mysqlClientAvailable } from '../sim/mysql-wire-client'
import { mysqlSkipReason } from './mysql-support'

const sh = promisify(execFile)
const skip = (await mysqlSkipReason()) || false
let te: TestEngine
let target: Target
let localPort = 0
let caPem = ''
const denied = (user: string) => `Access denied for user '${user}'@'127.0.0.1' (using password: YES)`

before(async () => {
  if (skip) return
  te = await startTestEngine()
  await te.engine.handlers.createDemoTarget(undefined)
  const t = (await te.engine.handlers.listTargets(undefined)).find((x) => x.name === DEMO_MYSQL.targetName)
  assert.ok(t)
  target = t
  const status = await te.engine.handlers.connectTarget({ targetId: target.id })
  localPort = status.localPort ?? 0
  const { readFile } = await import('node:fs/promises')
  caPem = await readFile(te.sim()?.caFile ?? '', 'utf8')
})

after(async () => {
  await te?.close()
})

const token = (over: { username?: string; signingDate?: Date } = {}) => {
  const sim = te.sim()
  assert.ok(sim)
  const t = {
    hostname: DEMO_MYSQL.rdsHost,
    port: DEMO_MYSQL.rdsPort,
    username: over.username ?? DEMO_MYSQL.dbUser,
    region: sim.region,
    credentials: sim.credentials,
  }
  return over.signingDate ? presignToken({ ...t, signingDate: over.signingDate }) : signerToken(t)
}

async function refusal(password: string, over: Partial<mysql.ConnectionOptions> = {}) {
  try {
    const c = await mysql.createConnection({
      host: DEMO_MYSQL.rdsHost,
      user: DEMO_MYSQL.dbUser,
      database: 'demo',
      stream: net.connect(localPort, '127.0.0.1'),
      ssl: { ca: caPem, verifyIdentity: true },
      authPlugins: { mysql_clear_password: () => () => Buffer.from(`${password}\0`) },
      ...over,
    })
    await c.end()
  } catch (err) {
    return err as { errno?: number; sqlState?: string; message: string }
  }
  assert.fail('the connection unexpectedly succeeded')
}

describe('MySQL clients through the tunnel', { skip }, () => {
  test("the copied `mysql` string works with Debian's client (MariaDB) and a token", async (t) => {
    if (!(await mysqlClientAvailable())) return t.skip('no mysql client installed')
    const cs: ConnectionStrings = await te.engine.handlers.getConnectionStrings({
      targetId: target.id,
      withToken: true,
    })
    const copied = cs.withToken?.entries?.find((e) => e.key === 'token-mysql')?.value
    assert.ok(copied?.startsWith('MYSQL_PWD='))
    assert.match(copied ?? '', /--ssl-ca=/)
    const { stdout } = await sh('sh', [
      '-c',
      `${copied} --batch --skip-column-names -e 'SELECT CURRENT_USER(), DATABASE()'`,
    ])
    assert.equal(stdout.trim(), `${DEMO_MYSQL.dbUser}@%\tdemo`)
    // The plain string carries no secret; the notes say how the token is made and what TLS checks.
    const plain = cs.entries?.find((e) => e.key === 'mysql')?.value ?? ''
    assert.ok(!plain.includes('X-Amz-Signature'))
    assert.ok(cs.notes.some((n) => n.includes('but not the host name')))
  })

  test('an expired token: ERROR 1045 (28000)', async () => {
    const err = await refusal(await token({ signingDate: new Date(Date.now() - 20 * 60 * 1000) }))
    assert.equal(err.errno, 1045)
    assert.equal(err.sqlState, '28000')
    assert.equal(err.message, denied(DEMO_MYSQL.dbUser))
  })

  test('a token for another user, and a user that is not an IAM user', async () => {
    // iam_other is an IAM user too, but the token names iam_reader (DBUser must match exactly).
    await te.sim()?.mysql?.addIamUser('iam_other')
    const other = await refusal(await token(), { user: 'iam_other' })
    assert.equal(other.errno, 1045)
    assert.equal(other.message, denied('iam_other'))
    const rootToken = await token({ username: 'root' })
    const root = await refusal(rootToken, { user: 'root', password: rootToken })
    assert.equal(root.message, denied('root'))
  })

  test('no TLS: the valid token is refused (the account requires SSL)', async () => {
    const err = await refusal(await token(), { ssl: undefined })
    assert.equal(err.errno, 1045)
    assert.equal(err.message, denied(DEMO_MYSQL.dbUser))
  })
})
