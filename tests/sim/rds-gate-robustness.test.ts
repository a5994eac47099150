// The RDS IAM gate against hostile or broken clients over raw sockets: garbage, oversized lengths,
// split packets, and disconnects at every stage. The gate must answer as PostgreSQL would (or just
// close) and keep serving. Bytes are built here by hand, independent of sim/rds/pg-wire.ts.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, test } from 'node:test'
import tls from 'node:tls'
import pg from 'pg'
import { type RdsGate, startRdsGate } from '../../sim/rds/rds-gate'
import { createTestCa, type TestCa } from '../../sim/rds/test-ca'
import { ensureIamRole } from '../fixtures/pg-roles'
import { signerToken } from '../fixtures/rds-tokens'

const IAM_USER = 'porthole_gate_iam'
const RDS_HOST = 'robust.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com'
const who = {
  arn: 'arn:aws:iam::1:user/r',
  accessKeyId: 'AKIAROBUSTNESSTEST01',
  secretAccessKey: 'r'.repeat(40),
}
let ca: TestCa
let gate: RdsGate

before(async () => {
  await ensureIamRole(IAM_USER)
  ca = await createTestCa()
  gate = await startRdsGate({
    rdsHost: RDS_HOST,
    rdsPort: 5432,
    region: 'us-east-1',
    accountId: '111122223333',
    dbiResourceId: 'db-ROBUST',
    tls: await ca.issueServerCert([RDS_HOST]),
    upstream: { host: '127.0.0.1', port: 5432 },
    lookupPrincipal: (akid) => (akid === who.accessKeyId ? who : undefined),
  })
})
after(() => gate.close())

function int32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}
function startup(params: Record<string, string>, version = 196608): Buffer {
  const body = Buffer.from(`${Object.entries(params).flat().join('\0')}\0\0`)
  return Buffer.concat([int32(body.length + 8), int32(version), body])
}
const SSL_REQUEST = Buffer.concat([int32(8), int32(80877103)])
const GSS_REQUEST = Buffer.concat([int32(8), int32(80877104)])

/** Sends chunks to a plain socket and collects everything until the gate closes it. */
async function exchange(chunks: Buffer[]): Promise<Buffer> {
  const sock = net.connect({ host: '127.0.0.1', port: gate.port })
  const got: Buffer[] = []
  sock.on('data', (d) => got.push(d))
  await new Promise((r) => sock.once('connect', r))
  for (const c of chunks) {
    sock.write(c)
    await new Promise((r) => setImmediate(r))
  }
  await new Promise((resolve, reject) => {
    sock.on('close', resolve)
    sock.on('error', reject)
    setTimeout(() => reject(new Error('gate did not close the connection')), 5000).unref()
  })
  return Buffer.concat(got)
}

/** Field map of the single ErrorResponse at the start of `data`. */
function errorFields(data: Buffer): Record<string, string> {
  assert.equal(
    data.subarray(0, 1).toString('latin1'),
    'E',
    `expected ErrorResponse, got ${data.subarray(0, 16).toString('hex')}`,
  )
  const out: Record<string, string> = {}
  for (const part of data
    .subarray(5, 1 + data.readInt32BE(1) - 1)
    .toString('utf8')
    .split('\0'))
    if (part) out[part.slice(0, 1)] = part.slice(1)
  return out
}

/** SSLRequest, 'S', TLS handshake verified for the RDS name; resolves the TLS socket. */
async function openTls(): Promise<tls.TLSSocket> {
  const sock = net.connect({ host: '127.0.0.1', port: gate.port })
  await new Promise((r) => sock.once('connect', r))
  sock.write(SSL_REQUEST)
  const answer = await new Promise<Buffer>((r) => sock.once('data', r))
  assert.equal(answer.toString(), 'S')
  return new Promise((resolve, reject) => {
    const s = tls.connect({ socket: sock, ca: ca.caPem, servername: RDS_HOST }, () => resolve(s))
    s.once('error', reject)
  })
}

async function assertGateStillServes(): Promise<void> {
  const c = new pg.Client({
    host: '127.0.0.1',
    port: gate.port,
    user: IAM_USER,
    database: 'postgres',
    ssl: { ca: ca.caPem, servername: RDS_HOST },
    password: () =>
      signerToken({
        hostname: RDS_HOST,
        port: 5432,
        username: IAM_USER,
        region: 'us-east-1',
        credentials: who,
      }),
  })
  await c.connect()
  assert.equal((await c.query('SELECT 1 AS x')).rows[0].x, 1)
  await c.end()
}

test('oversized, undersized and garbage startup packets are dropped without a reply', async () => {
  assert.equal((await exchange([Buffer.concat([int32(0x7fffffff), int32(196608)])])).length, 0)
  assert.equal((await exchange([Buffer.concat([int32(10001), int32(196608)])])).length, 0)
  assert.equal((await exchange([Buffer.concat([int32(4), int32(0)])])).length, 0)
  assert.equal((await exchange([Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')])).length, 0)
  assert.equal((await exchange([startup({ user: 'a' }).subarray(0, -1), Buffer.from([0x41])])).length, 0)
  await assertGateStillServes()
})

test('a startup split into single bytes is reassembled (and refused without TLS)', async () => {
  const bytes = startup({ user: 'splitter', database: 'db1', application_name: 'x' })
  const reply = await exchange([...bytes].map((b) => Buffer.from([b])))
  const fields = errorFields(reply)
  assert.equal(fields.C, '28000')
  assert.equal(
    fields.M,
    'pg_hba.conf rejects connection for host "127.0.0.1", user "splitter", database "db1", no encryption',
  )
})

test('GSSENCRequest is declined with N; protocol 2.0 and missing user are refused as PostgreSQL does', async () => {
  const reply = await exchange([GSS_REQUEST, startup({ user: 'u' }, 131072)])
  assert.equal(reply.toString('latin1', 0, 1), 'N')
  const fields = errorFields(reply.subarray(1))
  assert.equal(fields.C, '0A000')
  assert.equal(fields.M, 'unsupported frontend protocol 2.0: server supports 3.0 to 3.0')
  assert.equal(errorFields(await exchange([startup({ database: 'x' })])).C, '28000')
})

test('bytes pipelined after SSLRequest are refused (CVE-2021-23214 behaviour)', async () => {
  const fields = errorFields(await exchange([Buffer.concat([SSL_REQUEST, startup({ user: 'u' })])]))
  assert.equal(fields.C, '08P01')
  assert.equal(fields.M, 'received unencrypted data after SSL request')
})

test('disconnects at each stage do not disturb the gate', async () => {
  // After the SSLRequest answer, before any TLS.
  const raw = net.connect({ host: '127.0.0.1', port: gate.port })
  raw.on('error', () => {})
  raw.write(SSL_REQUEST)
  await new Promise((r) => raw.once('data', r))
  raw.destroy()
  // Half a TLS ClientHello.
  const half = net.connect({ host: '127.0.0.1', port: gate.port })
  half.on('error', () => {})
  half.write(SSL_REQUEST)
  await new Promise((r) => half.once('data', r))
  half.end(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))
  // After TLS, mid-startup; after the password request; mid-password.
  const s1 = await openTls()
  s1.end(startup({ user: 'u' }).subarray(0, 5))
  const s2 = await openTls()
  s2.write(startup({ user: 'u' }))
  await new Promise((r) => s2.once('data', r))
  s2.destroy()
  const s3 = await openTls()
  s3.write(startup({ user: 'u' }))
  await new Promise((r) => s3.once('data', r))
  s3.end(Buffer.concat([Buffer.from('p'), int32(500), Buffer.from('half a token')]))
  await new Promise((r) => setTimeout(r, 100))
  await assertGateStillServes()
})

test('an oversized or wrongly typed password message is refused', async () => {
  const big = await openTls()
  big.write(startup({ user: 'u' }))
  await new Promise((r) => big.once('data', r))
  big.write(Buffer.concat([Buffer.from('p'), int32(1_000_000)]))
  await new Promise((r) => big.once('close', r))
  const wrong = await openTls()
  const got: Buffer[] = []
  wrong.on('data', (d) => got.push(d))
  wrong.write(startup({ user: 'u' }))
  await new Promise((r) => setTimeout(r, 50))
  wrong.write(Buffer.concat([Buffer.from('Q'), int32(13), Buffer.from('SELECT 1\0')]))
  await new Promise((r) => wrong.once('close', r))
  const reply = Buffer.concat(got)
  assert.equal(reply.subarray(0, 9).toString('hex'), '520000000800000003') // R, len 8, code 3
  const fields = errorFields(reply.subarray(9))
  assert.equal(fields.C, '08P01')
  assert.equal(fields.M, 'expected password response, got message type 81')
})
