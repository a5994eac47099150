// The proxy's upstream TLS over real sockets: a server that answers SSLRequest with 'S' and then
// speaks TLS with a certificate for the RDS name. Verify-full holds with the cached CA context
// (right CA and name connect; another CA or another name is 08006), and the parsed CA set is
// shared across dials instead of being parsed per connection.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, test } from 'node:test'
import tls from 'node:tls'
import { secureContextFor } from '../../../electron/base/ca-context'
import { dialVerified, UpstreamError } from '../../../electron/proxy/pg-upstream'
import { createTestCa } from '../../../sim/rds/test-ca'

const RDS_HOST = 'db.abc123.eu-west-1.rds.amazonaws.com'
let server: net.Server
let port: number
let caPem: string
let otherCaPem: string

before(async () => {
  const ca = await createTestCa()
  caPem = ca.caPem
  otherCaPem = (await createTestCa({ commonName: 'Someone Else Root CA' })).caPem
  const leaf = await ca.issueServerCert([RDS_HOST])
  const context = tls.createSecureContext({ cert: leaf.certPem, key: leaf.keyPem })
  server = net.createServer((raw) => {
    raw.on('error', () => {})
    raw.once('data', () => {
      raw.write('S') // the 8-byte SSLRequest arrives alone: the client waits for this answer
      const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context })
      secure.on('error', () => {})
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as net.AddressInfo).port
})
after(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function refusal(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(
    () => assert.fail('the dial should have been refused'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof UpstreamError, String(err))
  return err
}

test('right CA and RDS name: verified; the CA set is parsed once and shared', async () => {
  const bundle = [otherCaPem, caPem] // like the RDS bundle: many roots, one signs this server
  const a = await dialVerified({ port, rdsHost: RDS_HOST, ca: bundle })
  const b = await dialVerified({ port, rdsHost: RDS_HOST, ca: [...bundle] })
  try {
    assert.equal(a.authorized, true)
    assert.equal(b.authorized, true)
    assert.equal(secureContextFor([...bundle]), secureContextFor(bundle), 'same content, same context')
    assert.notEqual(secureContextFor([caPem]), secureContextFor(bundle), 'another set, another context')
  } finally {
    a.destroy()
    b.destroy()
  }
})

test('a CA that did not sign the certificate: 08006 naming verification', async () => {
  const err = await refusal(dialVerified({ port, rdsHost: RDS_HOST, ca: [otherCaPem] }))
  assert.equal(err.fields.code, '08006')
  assert.match(err.fields.message, /failed verification/)
})

test('the right CA but another host name: 08006 (verify-full, not verify-ca)', async () => {
  const err = await refusal(
    dialVerified({ port, rdsHost: 'other.abc123.eu-west-1.rds.amazonaws.com', ca: [caPem] }),
  )
  assert.equal(err.fields.code, '08006')
  assert.match(err.fields.message, /failed verification/)
})
