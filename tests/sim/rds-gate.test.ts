// The RDS IAM gate over real sockets: a real `pg` Client with TLS verification of the RDS name, tokens
// from the real RDS Signer, and real PostgreSQL (127.0.0.1:5432, trust) behind the gate.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, mock, test } from 'node:test'
import pg from 'pg'
import { createLogger } from '../../electron/base/logger'
import { type RdsGate, startRdsGate } from '../../sim/rds/rds-gate'
import type { RdsPrincipal } from '../../sim/rds/rds-token-validator'
import { createTestCa, type TestCa } from '../../sim/rds/test-ca'
import { defined } from '../fixtures/defined'
import { ensureIamRole } from '../fixtures/pg-roles'
import { presignToken, signerToken, type TokenTarget, withParam } from '../fixtures/rds-tokens'

const RDS_HOST = 'gate-test.c1a2b3c4d5e6.eu-central-1.rds.amazonaws.com'
const RDS_PORT = 5432
const REGION = 'eu-central-1'
const ACCOUNT = '111122223333'
const DBI = 'db-GATETEST0123456789ABCDEFG'
// A role granted rds_iam: RDS authenticates only those with IAM tokens (tests/sim/rds-gate-roles.test.ts
// covers the others).
const USER = 'porthole_gate_iam'

const alice: RdsPrincipal = {
  arn: 'arn:aws:iam::111122223333:user/alice',
  accessKeyId: 'AKIAGATETESTALICE001',
  secretAccessKey: 'aliceSecretKeyForTheGateTest0000000000000',
}
const temp: RdsPrincipal = {
  arn: 'arn:aws:sts::111122223333:assumed-role/reader/s1',
  accessKeyId: 'ASIAGATETESTTEMP0001',
  secretAccessKey: 'tempSecretKeyForTheGateTest00000000000000',
  sessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKEN//+=',
}
const mallory: RdsPrincipal = {
  arn: 'arn:aws:iam::111122223333:user/mallory',
  accessKeyId: 'AKIAGATETESTMALLORY1',
  secretAccessKey: 'mallorySecretKeyForTheGateTest00000000000',
}
const principals = new Map([alice, temp, mallory].map((p) => [p.accessKeyId, p]))
const PAM = `PAM authentication failed for user "${USER}"`

let ca: TestCa
let gate: RdsGate
const policyChecks: string[] = []
const logLines: string[] = []

const target = (over: Partial<TokenTarget> = {}): TokenTarget => ({
  hostname: RDS_HOST,
  port: RDS_PORT,
  username: USER,
  region: REGION,
  credentials: alice,
  ...over,
})

function client(password: string, over: Partial<pg.ClientConfig> = {}): pg.Client {
  return new pg.Client({
    host: '127.0.0.1',
    port: gate.port,
    user: USER,
    database: 'postgres',
    password,
    ssl: { ca: ca.caPem, servername: RDS_HOST },
    connectionTimeoutMillis: 10_000,
    ...over,
  })
}

/** Connects, expecting failure; returns the error (client always ends). */
async function connectError(
  password: string,
  over: Partial<pg.ClientConfig> = {},
): Promise<Error & Record<string, unknown>> {
  const c = client(password, over)
  c.on('error', () => {})
  try {
    await c.connect()
  } catch (err) {
    return err as Error & Record<string, unknown>
  } finally {
    await c.end().catch(() => {})
  }
  assert.fail('connection unexpectedly succeeded')
}

/** Expects the exact PAM error, and that the gate's debug log names `reason` (so the right check fired). */
async function assertPamRejected(password: string, reason: RegExp): Promise<void> {
  const mark = logLines.length
  const err = await connectError(password)
  const logged = logLines.slice(mark).join('\n')
  assert.match(logged, reason)
  if (password.length > 20) assert.ok(!logged.includes(password), 'the token must never be logged')
  assert.equal(err.message, PAM)
  assert.equal(err.code, '28000')
  assert.equal(err.severity, 'FATAL')
}

before(async () => {
  await ensureIamRole(USER)
  ca = await createTestCa()
  const leaf = await ca.issueServerCert([RDS_HOST])
  gate = await startRdsGate({
    rdsHost: RDS_HOST,
    rdsPort: RDS_PORT,
    region: REGION,
    accountId: ACCOUNT,
    dbiResourceId: DBI,
    tls: leaf,
    upstream: { host: '127.0.0.1', port: 5432 },
    logger: createLogger('rds-gate-test', (line) => logLines.push(line.message)),
    lookupPrincipal: (akid) => principals.get(akid),
    isAllowed: (p, action, resource) => {
      policyChecks.push(`${p.arn} ${action} ${resource}`)
      return p !== mallory
    },
  })
})

after(async () => {
  await gate.close()
})

describe('RDS IAM gate: successful sessions', () => {
  test('a Signer token opens a session on the upstream PostgreSQL', async () => {
    const c = client(await signerToken(target()))
    await c.connect()
    try {
      const res = await c.query('SELECT current_user AS u, current_database() AS d, 6 * 7 AS n')
      assert.deepEqual(res.rows[0], { u: USER, d: 'postgres', n: 42 })
    } finally {
      await c.end()
    }
    assert.ok(
      policyChecks.includes(
        `${alice.arn} rds-db:connect arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:${DBI}/${USER}`,
      ),
    )
  })

  test('temporary credentials with their session token are accepted', async () => {
    const c = client(await signerToken(target({ credentials: temp })))
    await c.connect()
    const res = await c.query('SELECT 1 AS one')
    assert.equal(res.rows[0].one, 1)
    await c.end()
  })

  test('protocol cancel reaches the upstream backend through the gate', async () => {
    const c = client(await signerToken(target()))
    await c.connect()
    try {
      const slow = c.query('SELECT pg_sleep(30)')
      await new Promise((r) => setTimeout(r, 300))
      // A CancelRequest on a fresh plain connection, as libpq and pg send it (16 bytes, no TLS).
      const { processID, secretKey } = c as unknown as { processID: number; secretKey: number }
      const cancel = Buffer.alloc(16)
      cancel.writeInt32BE(16, 0)
      cancel.writeInt32BE(80877102, 4)
      cancel.writeInt32BE(processID, 8)
      cancel.writeInt32BE(secretKey, 12)
      const sock = net.connect({ host: '127.0.0.1', port: gate.port }, () => sock.write(cancel))
      await new Promise((resolve, reject) => sock.on('close', resolve).on('error', reject))
      await assert.rejects(slow, (err: Error & { code?: string }) => err.code === '57014')
    } finally {
      await c.end()
    }
  })
})

describe('RDS IAM gate: refusals with the exact RDS error', () => {
  test('a startup without TLS gets the pg_hba "no encryption" error', async () => {
    const err = await connectError(await signerToken(target()), { ssl: false })
    assert.equal(
      err.message,
      `pg_hba.conf rejects connection for host "127.0.0.1", user "${USER}", database "postgres", no encryption`,
    )
    assert.equal(err.code, '28000')
  })

  test('expired token (signed 16 minutes ago with a faked clock)', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() - 16 * 60 * 1000 })
    let token: string
    try {
      token = await signerToken(target())
    } finally {
      mock.timers.reset()
    }
    await assertPamRejected(token, /token expired/)
  })

  test('token signed for the tunnel address 127.0.0.1:<port>', async () => {
    await assertPamRejected(
      await signerToken(target({ hostname: '127.0.0.1', port: gate.port })),
      /signed for "127\.0\.0\.1:/,
    )
  })

  test('token signed for the wrong port', async () => {
    await assertPamRejected(await signerToken(target({ port: 5433 })), /:5433", expected the endpoint/)
  })

  test('token signed for another user', async () => {
    await assertPamRejected(
      await signerToken(target({ username: 'Porthole_gate_iam' })),
      /DBUser does not match/,
    )
  })

  test('token signed for another region', async () => {
    await assertPamRejected(await signerToken(target({ region: 'us-east-1' })), /region is "us-east-1"/)
  })

  test('token signed for service rds instead of rds-db', async () => {
    await assertPamRejected(await presignToken({ ...target(), service: 'rds' }), /service is "rds"/)
  })

  test('token with X-Amz-Expires above 900', async () => {
    await assertPamRejected(await presignToken({ ...target(), expiresIn: 901 }), /X-Amz-Expires 901/)
  })

  test('tampered signature', async () => {
    const token = await signerToken(target())
    const sig = defined(/X-Amz-Signature=([0-9a-f]{64})/.exec(token)?.[1], 'a signature')
    const flipped = (sig.startsWith('0') ? '1' : '0') + sig.slice(1)
    await assertPamRejected(withParam(token, 'X-Amz-Signature', flipped), /signature does not match/)
  })

  test('tampered X-Amz-Date (moved by a second)', async () => {
    const token = await signerToken(target())
    const date = defined(/X-Amz-Date=(\d{8}T\d{6}Z)/.exec(token)?.[1], 'an X-Amz-Date')
    const sec = (Number(date.slice(13, 15)) + 1) % 60
    await assertPamRejected(
      withParam(token, 'X-Amz-Date', `${date.slice(0, 13)}${String(sec).padStart(2, '0')}Z`),
      /signature does not match/,
    )
  })

  test('unknown access key', async () => {
    const stranger = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }
    await assertPamRejected(await signerToken(target({ credentials: stranger })), /unknown access key/)
  })

  test('temporary credentials without their session token', async () => {
    const { sessionToken: _, ...noToken } = temp
    await assertPamRejected(await signerToken(target({ credentials: noToken })), /no X-Amz-Security-Token/)
  })

  test('principal denied rds-db:connect by policy', async () => {
    await assertPamRejected(
      await signerToken(target({ credentials: mallory })),
      /mallory is not allowed rds-db:connect/,
    )
  })

  test('an empty or garbage password', async () => {
    await assertPamRejected('not-a-token', /not a presigned URL/)
  })
})

describe('RDS IAM gate: TLS identity', () => {
  test('the wrong servername fails verification', async () => {
    const err = await connectError('x', { ssl: { ca: ca.caPem, servername: 'other.example.com' } })
    assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID')
  })

  test('a different CA fails verification', async () => {
    const other = await createTestCa({ commonName: 'Some Other CA' })
    const err = await connectError('x', { ssl: { ca: other.caPem, servername: RDS_HOST } })
    assert.equal(err.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')
  })
})
