// The SSM port against a loopback JSON 1.1 endpoint: request shape, success, modeled and unmodeled
// errors, and the SDK's own retry of throttling.
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { createSsmSessionApi } from '../../../electron/aws/ssm-api'

type Handler = (target: string, body: Record<string, unknown>, res: ServerResponse) => void
let handler: Handler = () => {}
const seen: Array<{ target: string; body: Record<string, unknown>; auth: string }> = []
const server = createServer((req: IncomingMessage, res) => {
  let raw = ''
  req.on('data', (c) => {
    raw += c
  })
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '')
    const body = JSON.parse(raw || '{}')
    seen.push({ target, body, auth: String(req.headers.authorization ?? '') })
    handler(target, body, res)
  })
})
const fail = (res: ServerResponse, type: string, message: string) => {
  res.statusCode = 400
  res.setHeader('content-type', 'application/x-amz-json-1.1')
  res.end(JSON.stringify({ __type: type, message }))
}
const ok = (res: ServerResponse, body: unknown) => {
  res.setHeader('content-type', 'application/x-amz-json-1.1')
  res.end(JSON.stringify(body))
}
let api: ReturnType<typeof createSsmSessionApi>

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  api = createSsmSessionApi({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: async () => ({ accessKeyId: 'AKIATEST', secretAccessKey: 'secret' }),
  })
})
after(() => {
  api.destroy()
  server.close()
})

const input = {
  target: 'i-0123456789abcdef0',
  documentName: 'AWS-StartPortForwardingSessionToRemoteHost',
  parameters: { host: ['db.example.com'], portNumber: ['5432'], localPortNumber: ['0'] },
}

test('StartSession sends the document and parameters, signed for ssm in the region', async () => {
  seen.length = 0
  handler = (_t, _b, res) => ok(res, { SessionId: 's-1', StreamUrl: 'wss://x/s-1', TokenValue: 'tv' })
  assert.deepEqual(await api.startSession(input), {
    sessionId: 's-1',
    streamUrl: 'wss://x/s-1',
    tokenValue: 'tv',
  })
  assert.equal(seen[0]?.target, 'AmazonSSM.StartSession')
  assert.deepEqual(seen[0]?.body, {
    Target: input.target,
    DocumentName: input.documentName,
    Parameters: input.parameters,
  })
  assert.match(seen[0]?.auth, /Credential=AKIATEST\/\d{8}\/us-east-1\/ssm\/aws4_request/)
})

test('TargetNotConnected names the instance; AccessDenied names action and resource', async () => {
  handler = (_t, _b, res) => fail(res, 'TargetNotConnected', 'i-0123456789abcdef0 is not connected.')
  await assert.rejects(api.startSession(input), {
    code: 'TARGET_NOT_CONNECTED',
    message: 'Instance i-0123456789abcdef0 is not connected to Systems Manager.',
  })
  handler = (_t, _b, res) =>
    fail(
      res,
      'AccessDeniedException',
      'User: arn:aws:iam::1:user/a is not authorized to perform: ssm:TerminateSession on resource: arn:aws:ssm:us-east-1:1:session/s-1 because no identity-based policy allows it',
    )
  await assert.rejects(api.terminateSession('s-1'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'ACCESS_DENIED')
    assert.match(err.message, /ssm:TerminateSession on arn:aws:ssm:us-east-1:1:session\/s-1/)
    return true
  })
})

test('throttling is retried by the SDK, then succeeds', async () => {
  let n = 0
  seen.length = 0
  handler = (_t, _b, res) =>
    ++n <= 2
      ? fail(res, 'ThrottlingException', 'Rate exceeded')
      : ok(res, { SessionId: 's-2', StreamUrl: 'wss://y', TokenValue: 't' })
  const out = await api.resumeSession('s-2')
  assert.equal(out.sessionId, 's-2')
  assert.equal(seen.length, 3)
  assert.equal(seen[0]?.target, 'AmazonSSM.ResumeSession')
})

test('persistent throttling surfaces as THROTTLED', async () => {
  handler = (_t, _b, res) => fail(res, 'ThrottlingException', 'Rate exceeded')
  await assert.rejects(api.terminateSession('s-3'), { code: 'THROTTLED' })
})
