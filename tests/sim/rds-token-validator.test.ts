// The pure token validator: the published V2 vector (docs/rds-iam.md §A.5) through our own canonical-request
// code, freshness edges with an injected clock, and agreement with the real Signer for awkward users.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  canonicalRequest,
  parseTokenQuery,
  type RdsPrincipal,
  sigV4Signature,
  stringToSign,
  validateRdsToken,
} from '../../sim/rds/rds-token-validator'
import { defined } from '../fixtures/defined'
import { signerToken } from '../fixtures/rds-tokens'

// docs/rds-iam.md §A.5 V2 (Perl Signer::AWSv4 t/04_rds.t): region deliberately differs from the host's.
const V2 = {
  principal: {
    arn: 'arn:aws:iam::000000000000:user/v2',
    accessKeyId: 'AKIAKIAKIAKIAKIAKIAK',
    secretAccessKey: '1'.repeat(40),
  } satisfies RdsPrincipal,
  host: 'mydb.c1fycpveg7nf.us-west-2.rds.amazonaws.com',
  port: 3306,
  user: 'mysqluser',
  region: 'eu-west-1',
  signedAt: Date.UTC(2018, 6, 22, 20, 22, 36),
  signature: 'b77c366f1379046852039d21f733035fa73696275c03dd2908ef267c3049d831',
  canonical:
    'GET\n/\nAction=connect&DBUser=mysqluser&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAKIAKIAKIAKIAKIAK%2F20180722%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20180722T202236Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\nhost:mydb.c1fycpveg7nf.us-west-2.rds.amazonaws.com:3306\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  stringToSign:
    'AWS4-HMAC-SHA256\n20180722T202236Z\n20180722/eu-west-1/rds-db/aws4_request\n3cc087a8945870ff5cb2a6b0ab4c5b7436e02d794b0cca9deab86a7fc76d5e52',
}
const V2_QUERY_BASE =
  'Action=connect&DBUser=mysqluser&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAKIAKIAKIAKIAKIAK%2F20180722%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20180722T202236Z&X-Amz-Expires=900'
// The JS Signer's key order (signature before SignedHeaders) and awscli's (signature last).
const V2_TOKEN_SDK = `${V2.host}:${V2.port}/?${V2_QUERY_BASE}&X-Amz-Signature=${V2.signature}&X-Amz-SignedHeaders=host`
const V2_TOKEN_CLI = `${V2.host}:${V2.port}/?${V2_QUERY_BASE}&X-Amz-SignedHeaders=host&X-Amz-Signature=${V2.signature}`

function checkV2(token: string, now: number) {
  return validateRdsToken({
    token,
    rdsHost: V2.host,
    rdsPort: V2.port,
    region: V2.region,
    dbUser: V2.user,
    lookupPrincipal: (akid) => (akid === V2.principal.accessKeyId ? V2.principal : undefined),
    now,
  })
}

describe('RDS token validator: spec vector V2', () => {
  test('canonical request, string to sign and signature match the published intermediates', () => {
    const params = defined(parseTokenQuery(V2_TOKEN_SDK.split('/?')[1] ?? ''), 'a parsable query')
    const canonical = canonicalRequest(`${V2.host}:${V2.port}`, params)
    assert.equal(canonical, V2.canonical)
    const toSign = stringToSign('20180722T202236Z', '20180722/eu-west-1/rds-db/aws4_request', canonical)
    assert.equal(toSign, V2.stringToSign)
    assert.equal(
      sigV4Signature(V2.principal.secretAccessKey, '20180722', 'eu-west-1', 'rds-db', toSign),
      V2.signature,
    )
  })

  test('accepted in either parameter order while fresh', async () => {
    for (const token of [V2_TOKEN_SDK, V2_TOKEN_CLI]) {
      const verdict = await checkV2(token, V2.signedAt + 60_000)
      assert.deepEqual(verdict, { ok: true, principal: V2.principal })
    }
  })

  test('freshness edges: valid through +900 s, expired after, 5 min future skew allowed', async () => {
    assert.equal((await checkV2(V2_TOKEN_SDK, V2.signedAt + 900_000)).ok, true)
    assert.deepEqual(await checkV2(V2_TOKEN_SDK, V2.signedAt + 901_000), {
      ok: false,
      reason: 'token expired',
    })
    assert.equal((await checkV2(V2_TOKEN_SDK, V2.signedAt - 4 * 60_000)).ok, true)
    const early = await checkV2(V2_TOKEN_SDK, V2.signedAt - 6 * 60_000)
    assert.deepEqual(early, { ok: false, reason: 'X-Amz-Date is too far in the future' })
  })

  test('rejected for another endpoint, user, region or a flipped signature bit', async () => {
    const now = V2.signedAt + 1000
    const moved = V2_TOKEN_SDK.replace(`:${V2.port}/?`, ':3307/?')
    assert.equal((await checkV2(moved, now)).ok, false)
    const other = await validateRdsToken({
      token: V2_TOKEN_SDK,
      rdsHost: V2.host,
      rdsPort: V2.port,
      region: 'us-west-2',
      dbUser: V2.user,
      lookupPrincipal: () => V2.principal,
      now,
    })
    assert.equal(other.ok, false)
    const badSig = V2_TOKEN_SDK.replace(V2.signature, `${V2.signature.slice(0, 63)}0`)
    assert.deepEqual(await checkV2(badSig, now), { ok: false, reason: 'signature does not match' })
    const dup = `${V2_TOKEN_SDK}&DBUser=mysqluser`
    assert.equal((await checkV2(dup, now)).ok, false)
    const badEscape = V2_TOKEN_SDK.replace('DBUser=mysqluser', 'DBUser=%E0%A4%A')
    assert.equal((await checkV2(badEscape, now)).ok, false)
  })
})

describe('RDS token validator: agrees with the real Signer', () => {
  test('tokens for arbitrary user names (spaces, @, quotes, unicode) validate', async () => {
    const principal: RdsPrincipal = {
      arn: 'arn:aws:iam::1:user/p',
      accessKeyId: 'AKIAPROPERTYTEST0001',
      secretAccessKey: 's'.repeat(40),
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }), async (user) => {
        const token = await signerToken({
          hostname: 'db.x.us-east-1.rds.amazonaws.com',
          port: 5432,
          username: user,
          region: 'us-east-1',
          credentials: principal,
        })
        const verdict = await validateRdsToken({
          token,
          rdsHost: 'db.x.us-east-1.rds.amazonaws.com',
          rdsPort: 5432,
          region: 'us-east-1',
          dbUser: user,
          lookupPrincipal: () => principal,
          now: Date.now(),
        })
        assert.equal(verdict.ok, true, verdict.ok ? '' : verdict.reason)
      }),
      { numRuns: 40 },
    )
  })
})
