// Issue 12: the RDS gate uses IAM only for roles granted rds_iam, as RDS does. Every other role
// (the upstream superuser included) logs in by password, where an IAM token is just a wrong
// password (28P01); a role that does not exist fails exactly the same way, revealing nothing.
// Real `pg` over TLS, tokens from the real RDS Signer, real PostgreSQL behind the gate.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { type RdsGate, startRdsGate } from '../../sim/rds/rds-gate'
import { createTestCa, type TestCa } from '../../sim/rds/test-ca'
import { ensureIamRole, ensurePasswordRole } from '../fixtures/pg-roles'
import { signerToken } from '../fixtures/rds-tokens'

const RDS_HOST = 'roles.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com'
const IAM_USER = 'porthole_gate_iam'
const PW_USER = 'porthole_gate_pw'
const PW = 'correct horse battery staple'
const who = {
  arn: 'arn:aws:iam::1:user/r',
  accessKeyId: 'AKIAROLESTEST0000001',
  secretAccessKey: 'k'.repeat(40),
}
let ca: TestCa
let gate: RdsGate

before(async () => {
  await ensureIamRole(IAM_USER)
  await ensurePasswordRole(PW_USER, PW)
  ca = await createTestCa()
  gate = await startRdsGate({
    rdsHost: RDS_HOST,
    rdsPort: 5432,
    region: 'us-east-1',
    accountId: '111122223333',
    dbiResourceId: 'db-ROLES',
    tls: await ca.issueServerCert([RDS_HOST]),
    upstream: { host: '127.0.0.1', port: 5432 },
    lookupPrincipal: (akid) => (akid === who.accessKeyId ? who : undefined),
  })
})
after(() => gate.close())

const tokenFor = (username: string) =>
  signerToken({ hostname: RDS_HOST, port: 5432, username, region: 'us-east-1', credentials: who })

async function login(user: string, password: string): Promise<{ user?: string; error?: pg.DatabaseError }> {
  const c = new pg.Client({
    host: '127.0.0.1',
    port: gate.port,
    user,
    database: 'postgres',
    password,
    ssl: { ca: ca.caPem, servername: RDS_HOST },
  })
  c.on('error', () => {})
  try {
    await c.connect()
    const r = await c.query('SELECT current_user AS u')
    return { user: r.rows[0].u as string }
  } catch (err) {
    return { error: err as pg.DatabaseError }
  } finally {
    await c.end().catch(() => {})
  }
}

const passwordFailed = (user: string, got: { error?: pg.DatabaseError }) => {
  assert.equal(got.error?.message, `password authentication failed for user "${user}"`)
  assert.equal(got.error?.code, '28P01')
  assert.equal(got.error?.severity, 'FATAL')
}

test('a member of rds_iam logs in with a token; a bad token is the PAM failure (28000)', async () => {
  assert.deepEqual(await login(IAM_USER, await tokenFor(IAM_USER)), { user: IAM_USER })
  const bad = await login(IAM_USER, PW)
  assert.equal(bad.error?.message, `PAM authentication failed for user "${IAM_USER}"`)
  assert.equal(bad.error?.code, '28000')
})

test('the upstream superuser is not an rds_iam member: a token is a wrong password (28P01)', async () => {
  passwordFailed('postgres', await login('postgres', await tokenFor('postgres')))
})

test('a password role logs in with its password; a token for it is a wrong password', async () => {
  assert.deepEqual(await login(PW_USER, PW), { user: PW_USER })
  passwordFailed(PW_USER, await login(PW_USER, await tokenFor(PW_USER)))
  passwordFailed(PW_USER, await login(PW_USER, `${PW}!`))
})

test('a role that does not exist fails like any other login, never "role does not exist"', async () => {
  const ghost = 'porthole_no_such_role'
  const withToken = await login(ghost, await tokenFor(ghost))
  passwordFailed(ghost, withToken)
  passwordFailed(ghost, await login(ghost, 'guess'))
  assert.doesNotMatch(String(withToken.error?.message), /does not exist/)
})
