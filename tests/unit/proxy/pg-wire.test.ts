// The proxy's wire codec against bytes written out by hand from the PostgreSQL protocol docs
// (protocol-message-formats), not built with the codec's own writers.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  authenticationCleartextPassword,
  authenticationOk,
  backendKeyData,
  errorResponse,
  negotiateProtocolVersion,
  parseFirstPacket,
  parseTypedMessage,
  passwordFromBody,
} from '../../../electron/proxy/pg-wire'

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')

test('SSLRequest, GSSENCRequest and a 3.0 CancelRequest by their published codes', () => {
  assert.deepEqual(parseFirstPacket(hex('00000008 04d2162f')), { kind: 'ssl-request', size: 8 })
  assert.deepEqual(parseFirstPacket(hex('00000008 04d21630')), { kind: 'gssenc-request', size: 8 })
  const cancel = parseFirstPacket(hex('00000010 04d2162e 00001234 deadbeef'))
  assert.equal(cancel.kind, 'cancel')
  if (cancel.kind === 'cancel') {
    assert.equal(cancel.processId, 0x1234)
    assert.deepEqual(cancel.secretKey, hex('deadbeef'))
  }
})

test('StartupMessage 3.0 with user, database, application_name', () => {
  const body = Buffer.from('user\0alice\0database\0app\0application_name\0psql\0\0', 'latin1')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(8 + body.length)
  const p = parseFirstPacket(Buffer.concat([len, hex('00030000'), body]))
  assert.equal(p.kind, 'startup')
  if (p.kind === 'startup') {
    assert.equal(p.major, 3)
    assert.equal(p.minor, 0)
    assert.deepEqual(
      [...p.params],
      [
        ['user', 'alice'],
        ['database', 'app'],
        ['application_name', 'psql'],
      ],
    )
  }
})

test('partial, oversized, HTTP, direct TLS and unterminated packets', () => {
  assert.deepEqual(parseFirstPacket(hex('000000')), { kind: 'incomplete' })
  assert.deepEqual(parseFirstPacket(hex('00000010 04d2162e 0000')), { kind: 'incomplete' })
  assert.equal(parseFirstPacket(hex('00002711 00030000')).kind, 'invalid') // 10001 bytes
  assert.equal(parseFirstPacket(hex('00000007 00030000')).kind, 'invalid')
  assert.equal(parseFirstPacket(Buffer.from('GET / HTTP/1.1\r\n')).kind, 'invalid')
  assert.equal(parseFirstPacket(hex('16030100')).kind, 'direct-tls')
  assert.equal(parseFirstPacket(hex('0000000d 00030000 7573657200')).kind, 'invalid') // "user\0" then end
  assert.equal(parseFirstPacket(hex('00000008 00020000')).kind, 'invalid') // protocol 2.0
  assert.equal(parseFirstPacket(hex('0000000c 04d2162f 00000000')).kind, 'invalid') // SSLRequest of 12
})

test('typed framing and the password message', () => {
  const p = hex('70 0000000b 73656372657400') // 'p', len 11, "secret\0"
  const m = parseTypedMessage(p, 1024)
  assert.equal(m.kind, 'message')
  if (m.kind === 'message') {
    assert.equal(m.type, 'p')
    assert.equal(m.size, 12)
    assert.equal(passwordFromBody(m.body), 'secret')
  }
  assert.equal(parseTypedMessage(hex('70 00000003'), 1024).kind, 'invalid')
  assert.equal(parseTypedMessage(hex('70 00100000'), 1024).kind, 'invalid')
  assert.equal(passwordFromBody(Buffer.from('no terminator')), null)
})

test('backend messages the proxy writes, byte for byte', () => {
  assert.deepEqual(authenticationOk(), hex('52 00000008 00000000'))
  assert.deepEqual(authenticationCleartextPassword(), hex('52 00000008 00000003'))
  assert.deepEqual(backendKeyData(0x01020304, hex('a1b2c3d4')), hex('4b 0000000c 01020304 a1b2c3d4'))
  assert.deepEqual(
    negotiateProtocolVersion(0, ['_pq_.x']),
    hex('76 00000013 00000000 00000001 5f70715f2e7800'),
  )
  assert.deepEqual(
    errorResponse({ severity: 'FATAL', code: '28P01', message: 'no' }),
    Buffer.concat([hex('45 0000001e'), Buffer.from('SFATAL\0VFATAL\0C28P01\0Mno\0\0', 'latin1')]),
  )
})
