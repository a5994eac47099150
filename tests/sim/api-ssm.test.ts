// The simulator's API refuses what AWS refuses, in AWS's words, through the real SDK client.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DescribeInstanceInformationCommand,
  ResumeSessionCommand,
  SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import { DEMO } from '../../shared/demo'
import { type Simulator, startSimulator } from '../../sim/index'

let sim: Simulator
let ssm: SSMClient
const portDoc = 'AWS-StartPortForwardingSessionToRemoteHost'
const start = (client: SSMClient, extra: Record<string, unknown> = {}) =>
  client.send(
    new StartSessionCommand({
      Target: DEMO.instanceId,
      DocumentName: portDoc,
      Parameters: { host: [DEMO.rdsHost], portNumber: ['5432'], localPortNumber: ['0'] },
      ...extra,
    }),
  )
const client = (over: Partial<ConstructorParameters<typeof SSMClient>[0]> = {}) =>
  new SSMClient({
    region: sim.region,
    endpoint: sim.endpoint,
    credentials: sim.credentials,
    maxAttempts: 1,
    ...over,
  })

before(async () => {
  sim = await startSimulator({
    instances: [
      { instanceId: DEMO.instanceId, agentVersion: '3.3.987.0', online: true },
      { instanceId: 'i-0aaaaaaaaaaaaaaa1', agentVersion: '3.3.987.0', online: false },
    ],
  })
  ssm = client()
})
after(async () => {
  ssm.destroy()
  await sim.close()
})

test('StartSession with a good signature returns a session on the stream service', async () => {
  const out = await start(ssm)
  assert.match(out.SessionId ?? '', /^porthole-dev-[0-9a-f]{17}$/)
  assert.match(out.StreamUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/v1\/data-channel\/porthole-dev-/)
  assert.ok((out.TokenValue ?? '').length > 20)
})

test('a wrong secret is InvalidSignatureException, an unknown key UnrecognizedClientException', async () => {
  const bad = client({ credentials: { ...sim.credentials, secretAccessKey: 'x'.repeat(40) } })
  await assert.rejects(start(bad), { name: 'InvalidSignatureException' })
  const unknown = client({
    credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'y'.repeat(40) },
  })
  await assert.rejects(start(unknown), { name: 'UnrecognizedClientException' })
  const withToken = client({ credentials: { ...sim.credentials, sessionToken: 'not-issued' } })
  await assert.rejects(start(withToken), { name: 'UnrecognizedClientException' })
  for (const c of [bad, unknown, withToken]) c.destroy()
})

test('a wrong region and a stale date are refused', async () => {
  const west = client({ region: 'eu-west-1' })
  await assert.rejects(
    start(west),
    (err: Error) => err.name === 'InvalidSignatureException' && /region/.test(err.message),
  )
  west.destroy()
  // Sign a raw request ten minutes in the past, exactly as a skewed clock would.
  const body = JSON.stringify({})
  const url = new URL(sim.endpoint)
  const signer = new SignatureV4({
    service: 'ssm',
    region: sim.region,
    credentials: sim.credentials,
    sha256: Hash.bind(null, 'sha256'),
  })
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.DescribeInstanceInformation',
      },
      body,
    },
    { signingDate: new Date(Date.now() - 10 * 60_000) },
  )
  const res = await fetch(sim.endpoint, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
  })
  const json = (await res.json()) as { __type: string; message: string }
  assert.equal(res.status, 400)
  assert.equal(json.__type, 'InvalidSignatureException')
  assert.match(json.message, /^Signature expired: /)
})

test('offline instance, unknown document and a missing host parameter are refused like SSM', async () => {
  await assert.rejects(start(ssm, { Target: 'i-0aaaaaaaaaaaaaaa1' }), {
    name: 'TargetNotConnected',
    message: 'i-0aaaaaaaaaaaaaaa1 is not connected.',
  })
  await assert.rejects(start(ssm, { DocumentName: 'AWS-Nope' }), { name: 'InvalidDocument' })
  await assert.rejects(start(ssm, { Parameters: { portNumber: ['5432'] } }), /host parameter is required/)
})

test('AccessDenied names the principal, action and resource; throttling is switchable', async () => {
  const arn = sim.iam.principals()[0]!.arn
  sim.iam.deny(arn, 'ssm:StartSession')
  await assert.rejects(start(ssm), (err: Error) => {
    assert.equal(err.name, 'AccessDeniedException')
    assert.match(
      err.message,
      /is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:us-east-1:123456789012:instance\//,
    )
    return true
  })
  sim.iam.allow(arn, 'ssm:StartSession')
  sim.faults.setApiRate(2)
  const results = await Promise.allSettled(
    Array.from({ length: 6 }, () => ssm.send(new DescribeInstanceInformationCommand({}))),
  )
  sim.faults.setApiRate(null)
  assert.ok(
    results.some((r) => r.status === 'rejected' && (r.reason as Error).name === 'ThrottlingException'),
  )
})

test('ResumeSession hands a new token for the same StreamUrl; after TerminateSession the token is empty', async () => {
  const s = await start(ssm)
  const resumed = await ssm.send(new ResumeSessionCommand({ SessionId: s.SessionId }))
  assert.equal(resumed.StreamUrl, s.StreamUrl)
  assert.ok(resumed.TokenValue && resumed.TokenValue !== s.TokenValue)
  await ssm.send(new TerminateSessionCommand({ SessionId: s.SessionId }))
  const ended = await ssm.send(new ResumeSessionCommand({ SessionId: s.SessionId }))
  assert.equal(ended.TokenValue ?? '', '')
  await assert.rejects(ssm.send(new ResumeSessionCommand({ SessionId: 'nobody-00000000000000000' })), {
    name: 'DoesNotExistException',
  })
})

test('DescribeInstanceInformation reports ping status and agent version', async () => {
  const out = await ssm.send(new DescribeInstanceInformationCommand({}))
  const byId = new Map(out.InstanceInformationList?.map((i) => [i.InstanceId, i]))
  assert.equal(byId.get(DEMO.instanceId)?.PingStatus, 'Online')
  assert.equal(byId.get('i-0aaaaaaaaaaaaaaa1')?.PingStatus, 'ConnectionLost')
  assert.equal(byId.get(DEMO.instanceId)?.AgentVersion, '3.3.987.0')
})

async function signedQuery(service: 'sts' | 'rds', form: string): Promise<{ status: number; text: string }> {
  const url = new URL(sim.endpoint)
  const signer = new SignatureV4({
    service,
    region: sim.region,
    credentials: sim.credentials,
    sha256: Hash.bind(null, 'sha256'),
  })
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form,
  })
  const res = await fetch(sim.endpoint, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body: form,
  })
  return { status: res.status, text: await res.text() }
}

test('STS GetCallerIdentity and RDS DescribeDBInstances answer in the query protocol', async () => {
  const sts = await signedQuery('sts', 'Action=GetCallerIdentity&Version=2011-06-15')
  assert.equal(sts.status, 200)
  assert.match(sts.text, /<Arn>arn:aws:iam::123456789012:user\/porthole-dev<\/Arn>/)
  assert.match(sts.text, /<Account>123456789012<\/Account>/)
  const rds = await signedQuery('rds', 'Action=DescribeDBInstances&Version=2014-10-31')
  assert.match(
    rds.text,
    new RegExp(`<Address>${DEMO.rdsHost.replace(/\./g, '\\.')}</Address><Port>5432</Port>`),
  )
  assert.match(rds.text, /<IAMDatabaseAuthenticationEnabled>true<\/IAMDatabaseAuthenticationEnabled>/)
  assert.match(rds.text, new RegExp(`<DbiResourceId>${DEMO.dbiResourceId}</DbiResourceId>`))
  const missing = await signedQuery(
    'rds',
    'Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=nope',
  )
  assert.equal(missing.status, 404)
  assert.match(missing.text, /<Code>DBInstanceNotFound<\/Code>/)
})
