// A throwaway certificate authority for the simulator: the RDS IAM gate terminates TLS with a leaf
// certificate for the (fake) RDS endpoint name, and the app trusts `caPem` exactly as it would trust
// AWS's global-bundle.pem. Built with @peculiar/x509 on Node's WebCrypto; no hand-rolled ASN.1.
import { webcrypto } from 'node:crypto'
// @peculiar/x509 uses tsyringe, which needs a Reflect metadata polyfill loaded first.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'

type CryptoKey = webcrypto.CryptoKey
type CryptoKeyPair = webcrypto.CryptoKeyPair

// x509's crypto parameter is typed with the DOM's Crypto, which this Node-only project does not load.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

// ECDSA P-256: key generation is milliseconds, so every test can mint its own CA.
const KEY_ALG: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
}
const DAY_MS = 24 * 60 * 60 * 1000
// Backdated so a client whose clock runs a little behind still accepts the certificate.
const BACKDATE_MS = DAY_MS
const LEAF_VALIDITY_MS = 365 * DAY_MS
const CA_VALIDITY_MS = 5 * 365 * DAY_MS

/** A server certificate and its private key, both PEM. */
export interface IssuedCert {
  certPem: string
  keyPem: string
}

/** A test CA: its certificate (to trust) and a way to issue TLS server certificates. */
export interface TestCa {
  /** The CA certificate in PEM, for `ssl.ca` / `sslrootcert`. */
  caPem: string
  /** Issues a serverAuth leaf certificate whose SAN lists `dnsNames` (the first is also the CN). */
  issueServerCert(dnsNames: string[]): Promise<IssuedCert>
}

/** Options for {@link createTestCa}. */
export interface TestCaOptions {
  commonName?: string
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] ?? 0) & 0x7f // keep the DER INTEGER positive
  return Buffer.from(bytes).toString('hex')
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key)
  return x509.PemConverter.encode(der, 'PRIVATE KEY')
}

/** Creates a fresh in-memory CA (self-signed, basicConstraints CA, keyCertSign). */
export async function createTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  const commonName = options.commonName ?? 'Porthole Simulator Test Root CA'
  const now = Date.now()
  const caKeys = (await webcrypto.subtle.generateKey(KEY_ALG, false, ['sign', 'verify'])) as CryptoKeyPair
  const caName = `CN=${commonName}, O=Porthole Simulator`
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: caName,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_VALIDITY_MS),
    signingAlgorithm: KEY_ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })

  async function issueServerCert(dnsNames: string[]): Promise<IssuedCert> {
    if (dnsNames.length === 0) throw new Error('issueServerCert needs at least one DNS name')
    const issuedAt = Date.now()
    const leafKeys = (await webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify'])) as CryptoKeyPair
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: `CN=${dnsNames[0]}`,
      issuer: caCert.subject,
      notBefore: new Date(issuedAt - BACKDATE_MS),
      notAfter: new Date(issuedAt + LEAF_VALIDITY_MS),
      signingAlgorithm: KEY_ALG,
      publicKey: leafKeys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
        await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    })
    return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(leafKeys.privateKey) }
  }

  return { caPem: caCert.toString('pem'), issueServerCert }
}
