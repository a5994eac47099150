import assert from 'node:assert/strict'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { createTargetSsmApi } from '../../../electron/aws/aws-context'
import { createCredentialResolver } from '../../../electron/aws/credentials'
import { silentLogger } from '../../../electron/base/logger'

test('the SSM client uses the target endpoint over the environment, its region and the given credential source', async () => {
  const seen: IncomingMessage[] = []
  const server = createServer((req, res) => {
    seen.push(req)
    req.resume()
    req.on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.1')
      res.end('{}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const ssm = createTargetSsmApi(
      { region: 'eu-central-1', endpointUrl },
      {
        resolver: createCredentialResolver({ logger: silentLogger }),
        env: { AWS_ENDPOINT_URL_SSM: 'http://ignored.invalid' },
        source: { static: { accessKeyId: 'AKIASIMULATOR', secretAccessKey: 's' } },
      },
    )
    await ssm.terminateSession('s-1')
    ssm.destroy()
    assert.equal(seen.length, 1)
    assert.match(String(seen[0]?.headers.authorization), /AKIASIMULATOR\/\d{8}\/eu-central-1\/ssm\//)
  } finally {
    server.close()
  }
})

test('a target without a region is REGION_MISSING', () => {
  assert.throws(
    () =>
      createTargetSsmApi(
        { region: '' },
        { resolver: createCredentialResolver({ logger: silentLogger }), source: { profile: 'dev' } },
      ),
    { code: 'REGION_MISSING' },
  )
})
