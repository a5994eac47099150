// The log scrubber fed the secrets Porthole actually handles, shaped as they appear in real logs:
// each case names what must disappear and what must stay readable (so over-scrubbing fails too).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createLogger, scrubSecrets } from '../../../electron/base/logger'
import type { LogLine } from '../../../shared/ipc/models'

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLETOKENaBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'
const SIGNATURE = 'b77c366f1379046852039d21f733035fa73696275c03dd2908ef267c3049d831'
const IAM_TOKEN =
  'orders.c1x2y3z4.eu-central-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_app' +
  '&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAQ3EGUH3EXAMPLE12%2F20260101%2Feu-central-1%2Frds-db%2Faws4_request' +
  `&X-Amz-Date=20260101T120000Z&X-Amz-Expires=900&X-Amz-Security-Token=${encodeURIComponent(SESSION_TOKEN)}` +
  `&X-Amz-Signature=${SIGNATURE}&X-Amz-SignedHeaders=host`

interface Case {
  name: string
  input: string
  gone: string[]
  kept: string[]
}

const CASES: Case[] = [
  {
    name: 'an RDS IAM token in an error message',
    input: `connect failed with password ${IAM_TOKEN}: PAM authentication failed`,
    gone: [SIGNATURE, 'ASIAQ3EGUH3EXAMPLE12', 'IQoJb3JpZ2luX2VjEJr', 'Action=connect'],
    kept: ['orders.c1x2y3z4.eu-central-1.rds.amazonaws.com:5432/', 'PAM authentication failed'],
  },
  {
    name: 'an IAM token quoted in JSON',
    input: JSON.stringify({ event: 'token', value: IAM_TOKEN }),
    gone: [SIGNATURE, 'IQoJb3JpZ2luX2VjEJr'],
    kept: ['"event":"token"'],
  },
  {
    name: 'a presigned URL with X-Amz-Signature and a security token',
    input: `GET https://bucket.s3.amazonaws.com/key?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${SESSION_TOKEN}&X-Amz-Signature=${SIGNATURE} 403`,
    gone: [SIGNATURE, 'IQoJb3JpZ2luX2VjEJr', 'AKIAIOSFODNN7EXAMPLE'],
    kept: ['https://bucket.s3.amazonaws.com/key', '403'],
  },
  {
    name: 'long-term and temporary access key ids in prose',
    input: 'using AKIAIOSFODNN7EXAMPLE, then assumed role as ASIAQ3EGUH3EXAMPLE12 for profile dev',
    gone: ['AKIAIOSFODNN7EXAMPLE', 'ASIAQ3EGUH3EXAMPLE12'],
    kept: ['profile dev', 'assumed role'],
  },
  {
    name: 'SDK credentials as JSON',
    input: JSON.stringify({
      accessKeyId: 'ASIAQ3EGUH3EXAMPLE12',
      secretAccessKey: SECRET,
      sessionToken: SESSION_TOKEN,
      expiration: '2026-01-01T13:00:00Z',
    }),
    gone: [SECRET, 'IQoJb3JpZ2luX2VjEJr', 'ASIAQ3EGUH3EXAMPLE12'],
    kept: ['2026-01-01T13:00:00Z'],
  },
  {
    name: 'an STS/credential_process response (capitalised keys)',
    input: `{"Version":1,"AccessKeyId":"ASIAQ3EGUH3EXAMPLE12","SecretAccessKey":"${SECRET}","SessionToken":"${SESSION_TOKEN}","Expiration":"2026-01-01T13:00:00Z"}`,
    gone: [SECRET, 'IQoJb3JpZ2luX2VjEJr', 'ASIAQ3EGUH3EXAMPLE12'],
    kept: ['"Version":1', '2026-01-01T13:00:00Z'],
  },
  {
    name: 'a StartSession response with its TokenValue',
    input: `{"SessionId":"dev-0a1b2c3d4e5f67890","StreamUrl":"wss://ssmmessages.eu-central-1.amazonaws.com/v1/data-channel/dev-0a1b2c3d4e5f67890?role=publish_subscribe","TokenValue":"AAEAAXk3Zm9vYmFyYmF6c2VjcmV0dG9rZW4xMjM0NTY="}`,
    gone: ['AAEAAXk3Zm9vYmFyYmF6c2VjcmV0dG9rZW4xMjM0NTY='],
    kept: ['dev-0a1b2c3d4e5f67890'],
  },
  {
    name: 'a password in JSON with spaces around the colon',
    input: '{ "user": "iam_app", "password" : "hunter2-Secr3t!" }',
    gone: ['hunter2-Secr3t!'],
    kept: ['"user": "iam_app"'],
  },
  {
    name: 'a password in key=value form (libpq connection string)',
    input: 'psql "host=db.internal port=5432 user=app password=s3cr3t-P@ss sslmode=verify-full"',
    gone: ['s3cr3t-P@ss'],
    kept: ['host=db.internal', 'sslmode=verify-full'],
  },
  {
    name: 'PGPASSWORD in an environment dump',
    input: 'spawn psql with PGPASSWORD=very-secret-token-value PGHOST=127.0.0.1',
    gone: ['very-secret-token-value'],
    kept: ['PGHOST=127.0.0.1'],
  },
  {
    name: 'a password inside a postgres URI',
    input: 'connecting to postgresql://app:pa55word-in-uri@127.0.0.1:5432/orders?sslmode=verify-full',
    gone: ['pa55word-in-uri'],
    kept: ['127.0.0.1:5432/orders'],
  },
  {
    name: 'ini-file credentials',
    input:
      '[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ' +
      SECRET +
      '\nregion = eu-west-1',
    gone: [SECRET, 'AKIAIOSFODNN7EXAMPLE'],
    kept: ['region = eu-west-1'],
  },
  {
    name: 'a SigV4 Authorization header',
    input: `authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`,
    gone: [SIGNATURE, 'AKIAIOSFODNN7EXAMPLE'],
    kept: ['AWS4-HMAC-SHA256', 'SignedHeaders=host;x-amz-date'],
  },
]

describe('scrubSecrets', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const out = scrubSecrets(c.input)
      for (const secret of c.gone) assert.ok(!out.includes(secret), `"${secret}" survived in: ${out}`)
      for (const text of c.kept) assert.ok(out.includes(text), `"${text}" was lost from: ${out}`)
    })
  }

  test('text without secrets is unchanged', () => {
    const plain = 'tunnel open on 127.0.0.1:54321 (mux mode, agent 3.3.987.0, session dev-0a1b2c3d)'
    assert.equal(scrubSecrets(plain), plain)
  })

  test('the logger scrubs every line before any sink sees it', () => {
    const lines: LogLine[] = []
    const log = createLogger('test', (l) => lines.push(l)).child('db')
    log.error(`auth failed for token ${IAM_TOKEN}`)
    assert.equal(lines.length, 1)
    assert.ok(!lines[0]?.message.includes(SIGNATURE))
    assert.equal(lines[0]?.scope, 'test.db')
  })
})
