// The token is checked with an independent SigV4 verifier (docs/rds-iam.md §A.3), not with the SDK that made it.
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { test } from 'node:test'
import { createTokenSigner } from '../../../electron/aws/iam-token'

const creds = { accessKeyId: 'AKIAKIAKIAKIAKIAKIAK', secretAccessKey: '1'.repeat(40) }
const target = {
  rdsHost: 'mydb.c1fycpveg7nf.us-west-2.rds.amazonaws.com',
  rdsPort: 5432,
  dbUser: 'iam user@x',
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest()

function verify(
  token: string,
  secret: string,
): { hostport: string; params: Map<string, string>; ok: boolean } {
  const at = token.indexOf('/?')
  const hostport = token.slice(0, at)
  const params = new Map(
    token
      .slice(at + 2)
      .split('&')
      .map((kv) => kv.split('=').map(decodeURIComponent) as [string, string]),
  )
  const canonicalQuery = [...params]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a = ''], [b = '']) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const empty = createHash('sha256').update('').digest('hex')
  const canonical = ['GET', '/', canonicalQuery, `host:${hostport}`, '', 'host', empty].join('\n')
  const [, day = '', region = '', service = ''] = (params.get('X-Amz-Credential') ?? '').split('/')
  const sts = [
    'AWS4-HMAC-SHA256',
    params.get('X-Amz-Date'),
    `${day}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n')
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request')
  return { hostport, params, ok: hmac(key, sts).toString('hex') === params.get('X-Amz-Signature') }
}

test('tokens are bound to the RDS endpoint host:port, region, user, rds-db, 900 s', async () => {
  const signer = createTokenSigner({ credentials: async () => creds, region: 'eu-west-1' })
  const { token, issuedAt, expiresAt } = await signer.signToken(target)
  const v = verify(token, creds.secretAccessKey)
  assert.equal(v.hostport, 'mydb.c1fycpveg7nf.us-west-2.rds.amazonaws.com:5432')
  assert.equal(v.params.get('Action'), 'connect')
  assert.equal(v.params.get('DBUser'), 'iam user@x')
  assert.equal(v.params.get('X-Amz-Expires'), '900')
  assert.equal(v.params.get('X-Amz-SignedHeaders'), 'host')
  assert.match(
    v.params.get('X-Amz-Credential') ?? '',
    /^AKIAKIAKIAKIAKIAKIAK\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/,
  )
  assert.ok(v.ok, 'signature verifies with the secret')
  assert.equal(expiresAt - issuedAt, 15 * 60_000)
})

test('a session token is part of the signed query', async () => {
  const signer = createTokenSigner({
    credentials: async () => ({ ...creds, sessionToken: 'FwoGZXIvYXdzEXAMPLE/+=' }),
    region: 'us-east-1',
  })
  const v = verify((await signer.signToken(target)).token, creds.secretAccessKey)
  assert.equal(v.params.get('X-Amz-Security-Token'), 'FwoGZXIvYXdzEXAMPLE/+=')
  assert.ok(v.ok)
})

test('loopback or IP hosts are refused: a tunnel-bound token cannot be made', async () => {
  const signer = createTokenSigner({ credentials: async () => creds, region: 'us-east-1' })
  for (const rdsHost of ['127.0.0.1', 'localhost', '::1'])
    await assert.rejects(signer.signToken({ ...target, rdsHost }), { code: 'VALIDATION' })
})

test('lifetime is capped by the credentials, which are refreshed first when about to expire', async () => {
  const now = Date.now()
  let calls = 0
  const signer = createTokenSigner({
    region: 'us-east-1',
    credentials: async (opts) => {
      calls++
      // The refresh returns keys that still expire in 10 minutes: the token must say so.
      return { ...creds, expiration: new Date(now + (opts?.forceRefresh ? 10 : 5) * 60_000) }
    },
  })
  const t = await signer.signToken(target)
  assert.equal(calls, 2, 'credentials expiring within 15 min are force-refreshed once')
  assert.equal(t.expiresAt, now + 10 * 60_000)
})

test('forceRefresh reaches the credential provider', async () => {
  const seen: boolean[] = []
  const signer = createTokenSigner({
    region: 'us-east-1',
    credentials: async (opts) => {
      seen.push(Boolean(opts?.forceRefresh))
      return creds
    },
  })
  await signer.signToken(target)
  await signer.signToken(target, { forceRefresh: true })
  assert.deepEqual(seen, [false, true])
})
