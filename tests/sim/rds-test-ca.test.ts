// The simulator's test CA: Node's TLS stack accepts its leaf for the RDS name and nothing else.
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { test } from 'node:test'
import tls from 'node:tls'
import { createTestCa } from '../../sim/rds/test-ca'

const RDS_HOST = 'ca-test.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com'

async function handshake(
  certPem: string,
  keyPem: string,
  opts: tls.ConnectionOptions,
): Promise<tls.TLSSocket> {
  const server = tls.createServer({ cert: certPem, key: keyPem }, (s) => s.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  try {
    return await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, ...opts }, () => {
        s.destroy()
        resolve(s)
      })
      s.on('error', reject)
    })
  } finally {
    server.close()
  }
}

test('leaf carries the RDS name, serverAuth, and a CA with basicConstraints CA', async () => {
  const ca = await createTestCa({ commonName: 'Porthole Test CA' })
  const leaf = await ca.issueServerCert([RDS_HOST, 'alt.example.internal'])
  const caCert = new X509Certificate(ca.caPem)
  const leafCert = new X509Certificate(leaf.certPem)
  assert.equal(caCert.ca, true)
  assert.match(caCert.subject, /CN=Porthole Test CA/)
  assert.equal(leafCert.ca, false)
  assert.equal(leafCert.subjectAltName, `DNS:${RDS_HOST}, DNS:alt.example.internal`)
  assert.deepEqual(leafCert.keyUsage, ['1.3.6.1.5.5.7.3.1'])
  assert.ok(leafCert.checkIssued(caCert))
  assert.ok(leafCert.verify(caCert.publicKey))
  assert.ok(new Date(leafCert.validFrom).getTime() < Date.now() - 60_000, 'notBefore is backdated')
  assert.ok(new Date(leafCert.validTo).getTime() > Date.now() + 300 * 86_400_000, 'about a year of validity')
})

test('tls.connect verifies the RDS name via servername, and rejects others', async () => {
  const ca = await createTestCa()
  const leaf = await ca.issueServerCert([RDS_HOST])
  const ok = await handshake(leaf.certPem, leaf.keyPem, { ca: ca.caPem, servername: RDS_HOST })
  assert.equal(ok.authorized, true)
  // The alternative pg users reach for: no SNI, but an explicit identity check of the RDS name.
  const viaCheck = await handshake(leaf.certPem, leaf.keyPem, {
    ca: ca.caPem,
    checkServerIdentity: (_host, cert) => tls.checkServerIdentity(RDS_HOST, cert),
  })
  assert.equal(viaCheck.authorized, true)
  await assert.rejects(
    handshake(leaf.certPem, leaf.keyPem, { ca: ca.caPem, servername: 'other.example.com' }),
    {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    },
  )
  await assert.rejects(handshake(leaf.certPem, leaf.keyPem, { ca: ca.caPem }), {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
  })
  const stranger = await createTestCa()
  await assert.rejects(handshake(leaf.certPem, leaf.keyPem, { ca: stranger.caPem, servername: RDS_HOST }), {
    code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  })
})
