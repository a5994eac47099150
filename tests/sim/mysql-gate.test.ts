// The MySQL IAM gate over real sockets: mysql2 and Debian's `mysql` client (MariaDB's) against the
// gate in front of the real MariaDB at 127.0.0.1:3306, tokens from the real RDS Signer. Refusals are
// checked for MySQL's exact 1045 (28000) error. Skips with a message when no MariaDB/MySQL answers.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { createLogger } from '../../electron/base/logger'
import { type MySqlGate, startMySqlGate } from '../../sim/rds/mysql-gate'
import { startMySqlUpstream } from '../../sim/rds/mysql-upstream'
import type { RdsPrincipal } from '../../sim/rds/rds-token-validator'
import { createTestCa, type TestCa } from '../../sim/rds/test-ca'
import { presignToken, signerToken, type TokenTarget } from '../fixtures/rds-tokens'
import { mysqlClientAvailable, wireLogin } from './mysql-wire-client'

const run = promisify(execFile)
const RDS_HOST = 'gate-test-mysql.c1a2b3c4d5e6.eu-central-1.rds.amazonaws.com'
const RDS_PORT = 3306
const REGION = 'eu-central-1'
const USER = 'iam_gate_test'
const OTHER_IAM_USER = 'iam_gate_other'

const alice: RdsPrincipal = {
  arn: 'arn:aws:iam::111122223333:user/alice',
  accessKeyId: 'AKIAMYSQLGATEALICE01',
  secretAccessKey: 'aliceSecretKeyForTheMySqlGate000000000000',
}
const mallory: RdsPrincipal = {
  arn: 'arn:aws:iam::111122223333:user/mallory',
  accessKeyId: 'AKIAMYSQLGATEMALLORY',
  secretAccessKey: 'mallorySecretKeyForTheMySqlGate0000000000',
}
const principals = new Map([alice, mallory].map((p) => [p.accessKeyId, p]))
const denied = (user: string) => `Access denied for user '${user}'@'127.0.0.1' (using password: YES)`

const upstream = await startMySqlUpstream({ database: 'demo', dbUser: USER })
const skip = upstream ? false : 'no MariaDB/MySQL at 127.0.0.1:3306 (.ci/run installs mariadb-server)'
let ca: TestCa
let gate: MySqlGate
const logLines: string[] = []
let clockShiftMs = 0
let caFile = ''

const target = (over: Partial<TokenTarget> = {}): TokenTarget => ({
  hostname: RDS_HOST,
  port: RDS_PORT,
  username: USER,
  region: REGION,
  credentials: alice,
  ...over,
})

function connect(token: string, over: Partial<mysql.ConnectionOptions> = {}): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: RDS_HOST,
    user: USER,
    database: 'demo',
    stream: net.connect(gate.port, '127.0.0.1'),
    ssl: { ca: ca.caPem, verifyIdentity: true },
    authPlugins: { mysql_clear_password: () => () => Buffer.from(`${token}\0`) },
    connectTimeout: 10_000,
    ...over,
  })
}

async function refusal(token: string, over: Partial<mysql.ConnectionOptions> = {}) {
  try {
    const c = await connect(token, over)
    await c.end()
  } catch (err) {
    return err as { errno?: number; sqlState?: string; message: string; code?: string }
  }
  assert.fail('connection unexpectedly succeeded')
}

before(async () => {
  if (!upstream) return
  await upstream.addIamUser(OTHER_IAM_USER)
  ca = await createTestCa()
  gate = await startMySqlGate({
    rdsHost: RDS_HOST,
    rdsPort: RDS_PORT,
    region: REGION,
    accountId: '111122223333',
    dbiResourceId: 'db-MYSQLGATETEST0123456789AB',
    tls: await ca.issueServerCert([RDS_HOST]),
    upstream: { host: upstream.host, port: upstream.port },
    isIamUser: (u) => upstream.iamUsers.has(u),
    upstreamPassword: upstream.passwordFor,
    lookupPrincipal: (akid) => principals.get(akid),
    isAllowed: (p) => p !== mallory,
    now: () => Date.now() + clockShiftMs,
    logger: createLogger('mysql-gate-test', (line) => logLines.push(line.message)),
  })
  caFile = join(await mkdtemp(join(tmpdir(), 'mysql-gate-')), 'ca.pem')
  await writeFile(caFile, ca.caPem)
})

after(async () => {
  await gate?.close()
})

describe('MySQL IAM gate: sessions', { skip }, () => {
  test('mysql2 with a Signer token over TLS verified for the RDS name lands upstream as the IAM user', async () => {
    const c = await connect(await signerToken(target()))
    try {
      const [rows] = await c.query<mysql.RowDataPacket[]>(
        'SELECT CURRENT_USER() AS u, CONNECTION_ID() AS id, DATABASE() AS d',
      )
      assert.equal(rows[0]?.u, `${USER}@%`)
      assert.equal(rows[0]?.d, 'demo')
      // The greeting carries the upstream's connection id, so KILL QUERY <threadId> hits this session.
      assert.equal(Number(rows[0]?.id), c.threadId)
    } finally {
      await c.end()
    }
  })

  test('a certificate for another name is refused by the client (no silent trust)', async () => {
    const err = await refusal(await signerToken(target()), { host: 'other.example.com' })
    assert.match(err.message, /altnames|certificate|Hostname/i)
  })

  test("Debian's mysql client (MariaDB) logs in with the token as a cleartext password over TLS", async (t) => {
    if (!(await mysqlClientAvailable())) return t.skip('no mysql client installed')
    const token = await signerToken(target())
    const { stdout } = await run(
      'mysql',
      [
        '--protocol=TCP',
        '-h',
        '127.0.0.1',
        '-P',
        String(gate.port),
        '-u',
        USER,
        '--ssl',
        `--ssl-ca=${caFile}`,
        '--batch',
        '--skip-column-names',
        '-e',
        'SELECT CURRENT_USER()',
        'demo',
      ],
      { env: { ...process.env, MYSQL_PWD: token } },
    )
    assert.equal(stdout.trim(), `${USER}@%`)
  })
})

describe('MySQL IAM gate: refusals with MySQL 1045 (28000)', { skip }, () => {
  test('an expired token', async () => {
    const token = await signerToken(target())
    clockShiftMs = 16 * 60 * 1000
    try {
      const err = await refusal(token)
      assert.equal(err.errno, 1045)
      assert.equal(err.sqlState, '28000')
      assert.equal(err.message, denied(USER))
    } finally {
      clockShiftMs = 0
    }
    assert.match(logLines.join('\n'), /token expired/)
  })

  test('a token for another IAM user, and a user that is not an IAM user', async () => {
    const token = await signerToken(target())
    const other = await refusal(token, { user: OTHER_IAM_USER })
    assert.equal(other.message, denied(OTHER_IAM_USER))
    const rootToken = await signerToken(target({ username: 'root' }))
    // root is not an AWSAuthenticationPlugin user: its native-password scramble of the token is denied.
    const root = await refusal(rootToken, { user: 'root', password: rootToken })
    assert.equal(root.errno, 1045)
    assert.equal(root.message, denied('root'))
  })

  test('a token signed for 127.0.0.1 instead of the endpoint, and a principal without rds-db:connect', async () => {
    const loopback = await refusal(await presignToken(target({ hostname: '127.0.0.1' })))
    assert.equal(loopback.message, denied(USER))
    const noPolicy = await refusal(await signerToken(target({ credentials: mallory })))
    assert.equal(noPolicy.message, denied(USER))
  })

  test('no TLS: a valid token sent in clear by mysql2 is denied (the account requires SSL)', async () => {
    const err = await refusal(await signerToken(target()), { ssl: undefined })
    assert.equal(err.errno, 1045)
    assert.equal(err.sqlState, '28000')
    assert.equal(err.message, denied(USER))
    assert.match(logLines.join('\n'), /no TLS/)
  })

  test('no TLS on the wire: a cleartext HandshakeResponse gets the exact ERR bytes', async () => {
    const token = await signerToken(target())
    const reply = await wireLogin(gate.port, USER, token)
    assert.deepEqual([...reply.subarray(0, 9)], [0xff, 0x15, 0x04, 0x23, 0x32, 0x38, 0x30, 0x30, 0x30])
    assert.equal(reply.subarray(9).toString('utf8'), denied(USER))
  })

  test("Debian's mysql client without TLS gets ERROR 1045 (28000)", async (t) => {
    if (!(await mysqlClientAvailable())) return t.skip('no mysql client installed')
    const token = await signerToken(target())
    const err = await run(
      'mysql',
      [
        '--protocol=TCP',
        '-h',
        '127.0.0.1',
        '-P',
        String(gate.port),
        '-u',
        USER,
        '--skip-ssl',
        '-e',
        'SELECT 1',
        'demo',
      ],
      { env: { ...process.env, MYSQL_PWD: token } },
    ).then(
      () => assert.fail('mysql unexpectedly connected'),
      (e: { stderr: string }) => e,
    )
    assert.equal(err.stderr.trim(), `ERROR 1045 (28000): ${denied(USER)}`)
    assert.ok(!logLines.join('\n').includes(token), 'the token is never logged')
  })
})
