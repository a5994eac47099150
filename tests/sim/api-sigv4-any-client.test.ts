// Issue 12: the API verifier checks exactly the headers a request lists in SignedHeaders, as SigV4
// defines, so requests signed like botocore / aws-sdk-go (host;x-amz-date;x-amz-target, no
// x-amz-content-sha256) are accepted, and a tampered signed header or body is refused. The
// requests are signed here with node:crypto from the SigV4 definition (an oracle that shares no
// code with the simulator or the app's signer).
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { after, before, test } from 'node:test'
import { type Simulator, startSimulator } from '../../sim/index'

let sim: Simulator
before(async () => {
  sim = await startSimulator()
})
after(async () => {
  await sim.close()
})

const sha = (s: string) => createHash('sha256').update(s).digest('hex')
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest()
const amz = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

interface Creds {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** Signs like botocore: only the headers passed in (plus host, x-amz-date, token), payload from the body. */
function signLikeBotocore(
  creds: Creds,
  service: string,
  headers: Record<string, string>,
  body: string,
  at = Date.now(),
): Record<string, string> {
  const host = new URL(sim.endpoint).host
  const amzDate = amz(at)
  const all: Record<string, string> = { ...headers, host, 'x-amz-date': amzDate }
  if (creds.sessionToken) all['x-amz-security-token'] = creds.sessionToken
  const names = Object.keys(all).sort()
  const canonical = [
    'POST',
    '/',
    '',
    names.map((n) => `${n}:${all[n]}\n`).join(''),
    names.join(';'),
    sha(body),
  ].join('\n')
  const scope = `${amzDate.slice(0, 8)}/${sim.region}/${service}/aws4_request`
  let key: Buffer = hmac(`AWS4${creds.secretAccessKey}`, amzDate.slice(0, 8))
  for (const part of [sim.region, service, 'aws4_request']) key = hmac(key, part)
  const signature = createHmac('sha256', key)
    .update(['AWS4-HMAC-SHA256', amzDate, scope, sha(canonical)].join('\n'))
    .digest('hex')
  const { host: _host, ...sent } = all
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  }
}

const ssmHeaders = (op: string) => ({ 'x-amz-target': `AmazonSSM.${op}` })

async function post(headers: Record<string, string>, body: string) {
  const res = await fetch(sim.endpoint, { method: 'POST', headers, body })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

test('a request signed like botocore (host;x-amz-date;x-amz-target only) is accepted', async () => {
  const body = '{}'
  const signed = signLikeBotocore(sim.credentials, 'ssm', ssmHeaders('DescribeInstanceInformation'), body)
  assert.match(signed.authorization ?? '', /SignedHeaders=host;x-amz-date;x-amz-target,/)
  // The JSON content type travels unsigned, as aws-sdk-go sends it.
  const res = await post({ ...signed, 'content-type': 'application/x-amz-json-1.1' }, body)
  assert.equal(res.status, 200, JSON.stringify(res.json))
  assert.ok(Array.isArray(res.json.InstanceInformationList))
})

test('temporary credentials sign x-amz-security-token as well and are accepted', async () => {
  const temp = { ...sim.credentials, accessKeyId: 'ASIATEMPORARYKEY0001', sessionToken: 'session-token-xyz' }
  sim.iam.addPrincipal({ arn: 'arn:aws:sts::123456789012:assumed-role/dev/porthole', ...temp })
  const body = '{}'
  const signed = signLikeBotocore(temp, 'ssm', ssmHeaders('DescribeInstanceInformation'), body)
  assert.match(signed.authorization ?? '', /SignedHeaders=host;x-amz-date;x-amz-security-token;x-amz-target,/)
  assert.equal((await post(signed, body)).status, 200)
})

test('unsigned headers may change in flight; a tampered signed header or body is refused', async () => {
  const body = '{}'
  const signed = signLikeBotocore(sim.credentials, 'ssm', ssmHeaders('DescribeInstanceInformation'), body)
  assert.equal((await post({ ...signed, 'user-agent': 'proxy-rewrote-me' }, body)).status, 200)

  const target = await post({ ...signed, 'x-amz-target': 'AmazonSSM.TerminateSession' }, body)
  assert.equal(target.status, 400)
  assert.equal(target.json.__type, 'InvalidSignatureException')
  assert.match(String(target.json.message), /^The request signature we calculated does not match/)

  const tamperedBody = await post(signed, '{"MaxResults":5}')
  assert.equal(tamperedBody.json.__type, 'InvalidSignatureException')

  // Claiming a payload hash the body does not have changes nothing: the body is what gets hashed.
  const claimed = await post(
    { ...signed, 'x-amz-content-sha256': sha('{"MaxResults":5}') },
    '{"MaxResults":5}',
  )
  assert.equal(claimed.json.__type, 'InvalidSignatureException')
})

test('host must be signed, as AWS requires', async () => {
  const signed = signLikeBotocore(sim.credentials, 'ssm', ssmHeaders('DescribeInstanceInformation'), '{}')
  const noHost = signed.authorization!.replace('SignedHeaders=host;', 'SignedHeaders=')
  const res = await post({ ...signed, authorization: noHost }, '{}')
  assert.equal(res.json.__type, 'IncompleteSignatureException')
  assert.equal(res.json.message, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
})

test('a clock 10 minutes ahead is "Signature not yet current" in AWS format, 10 behind "Signature expired"', async () => {
  const ahead = Date.now() + 10 * 60_000
  const res = await post(
    signLikeBotocore(sim.credentials, 'ssm', ssmHeaders('DescribeInstanceInformation'), '{}', ahead),
    '{}',
  )
  assert.equal(res.json.__type, 'InvalidSignatureException')
  const m =
    /^Signature not yet current: (\d{8}T\d{6}Z) is still later than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) \+ 5 min\.\)$/.exec(
      String(res.json.message),
    )
  assert.ok(m, String(res.json.message))
  const ms = (s: string) =>
    Date.UTC(
      +s.slice(0, 4),
      +s.slice(4, 6) - 1,
      +s.slice(6, 8),
      +s.slice(9, 11),
      +s.slice(11, 13),
      +s.slice(13, 15),
    )
  assert.equal(m[1], amz(ahead))
  assert.equal(ms(m[2]!) - ms(m[3]!), 5 * 60_000)
  assert.ok(ms(m[1]!) > ms(m[2]!))

  const behind = await post(
    signLikeBotocore(
      sim.credentials,
      'ssm',
      ssmHeaders('DescribeInstanceInformation'),
      '{}',
      Date.now() - 10 * 60_000,
    ),
    '{}',
  )
  assert.match(
    String(behind.json.message),
    /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
  )
})

test('query-protocol services (STS) accept botocore-style signing with content-type signed', async () => {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15'
  const signed = signLikeBotocore(
    sim.credentials,
    'sts',
    { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  )
  const res = await fetch(sim.endpoint, { method: 'POST', headers: signed, body })
  const text = await res.text()
  assert.equal(res.status, 200, text)
  assert.match(text, /<Arn>arn:aws:iam::123456789012:user\/porthole-dev<\/Arn>/)
})
