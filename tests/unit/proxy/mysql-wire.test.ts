// The MySQL proxy's connection-phase codec and scramble checks against bytes written out by hand
// from the protocol pages (HandshakeV10, HandshakeResponse41, SSLRequest, OK, ERR, AuthSwitch),
// not built with the codec's own writers, and against MySQL's published PASSWORD() hash.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { cachingSha2Scramble, nativeScramble, verifyScramble } from '../../../electron/proxy/mysql-auth'
import {
  frame,
  lenenc,
  parseErr,
  parsePacket,
  serializeErr,
  serializeOk,
} from '../../../electron/proxy/mysql-packet'
import {
  parseAuthSwitch,
  parseClientHello,
  parseHandshakeV10,
  serializeAuthSwitch,
  serializeHandshakeResponse,
  serializeHandshakeV10,
  serializeSslRequest,
} from '../../../electron/proxy/mysql-wire'

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex')
const scramble = Buffer.from('abcdefghijklmnopqrst', 'latin1')

// HandshakeV10: 0a, "8.0.36\0", thread 0x2a, scramble[0..8], 00, caps low 0xf7ff, charset 0xff,
// status 0x0002, caps high 0x81ff, data length 21, 10 zeros, scramble[8..20], 00, plugin name.
const greeting = hex(`0a ${ascii('8.0.36')}00 2a000000 ${ascii('abcdefgh')} 00 fff7 ff 0200 ff81 15
  00000000000000000000 ${ascii('ijklmnopqrst')} 00 ${ascii('mysql_native_password')}00`)

test('HandshakeV10 written and read as the protocol page lays it out', () => {
  const h = {
    version: '8.0.36',
    threadId: 42,
    scramble,
    capabilities: 0x81fff7ff,
    charset: 0xff,
    status: 2,
    authPlugin: 'mysql_native_password',
  }
  assert.deepEqual(serializeHandshakeV10(h), greeting)
  assert.deepEqual(parseHandshakeV10(greeting), h)
  assert.match(String(parseHandshakeV10(hex('09 00'))), /not HandshakeV10/)
  assert.match(String(parseHandshakeV10(greeting.subarray(0, 20))), /malformed server greeting: truncated/)
})

test('framing: 3-byte little-endian length, sequence id; incomplete and oversized packets', () => {
  assert.deepEqual(frame(3, hex('0102')), hex('020000 03 0102'))
  assert.equal(parsePacket(hex('0500'), 100), null)
  assert.equal(parsePacket(hex('050000 01 0102'), 100), null)
  assert.deepEqual(parsePacket(hex('020000 07 0102 ff'), 100), { seq: 7, payload: hex('0102'), size: 6 })
  assert.match(String(parsePacket(hex('ffffff 00'), 1024)), /16777215 bytes exceeds 1024/)
  assert.deepEqual(lenenc(250), hex('fa'))
  assert.deepEqual(lenenc(251), hex('fcfb00'))
  assert.deepEqual(lenenc(0x10000), hex('fd000001'))
})

// Flags: LONG_PASSWORD|CONNECT_WITH_DB|PROTOCOL_41|SECURE_CONNECTION|PLUGIN_AUTH|CONNECT_ATTRS|
// PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x00 38 82 09; max packet 16 MiB; charset 45 (utf8mb4).
const fixed = (flags: string) => `${flags} 00000001 2d ${'00'.repeat(23)}`
const attrs = `${'0c'}${ascii('program_name')}05${ascii('mysql')}04${ascii('_pid')}02${ascii('42')}`
const response = hex(`${fixed('09823800')} ${ascii('alice')}00 14 ${'11'.repeat(20)}
  ${ascii('shop')}00 ${ascii('mysql_native_password')}00 1b ${attrs}`)

test('HandshakeResponse41 with CONNECT_WITH_DB, the plugin name and connect attributes', () => {
  const h = parseClientHello(response)
  assert.ok(typeof h !== 'string' && h.kind === 'response', String(h))
  assert.equal(h.capabilities, 0x00388209)
  assert.equal(h.maxPacket, 0x01000000)
  assert.equal(h.charset, 45)
  assert.equal(h.user, 'alice')
  assert.deepEqual(h.authResponse, Buffer.alloc(20, 0x11))
  assert.equal(h.database, 'shop')
  assert.equal(h.authPlugin, 'mysql_native_password')
  assert.deepEqual(
    [...h.attrs],
    [
      ['program_name', 'mysql'],
      ['_pid', '42'],
    ],
  )
  assert.deepEqual(h.attrsRaw, hex(attrs))
  // Written back (as the upstream login does) it is the same bytes.
  assert.deepEqual(
    serializeHandshakeResponse({ ...h, database: 'shop', authPlugin: 'mysql_native_password' }),
    response,
  )
})

test('a 1-byte auth length without LENENC, no database without CONNECT_WITH_DB', () => {
  // PROTOCOL_41|SECURE_CONNECTION|PLUGIN_AUTH = 0x00088200
  const h = parseClientHello(hex(`${fixed('00820800')} ${ascii('bob')}00 02 beef ${ascii('x')}00`))
  assert.ok(typeof h !== 'string' && h.kind === 'response')
  assert.deepEqual(h.authResponse, hex('beef'))
  assert.equal(h.database, null)
  assert.equal(h.authPlugin, 'x')
  assert.equal(h.attrsRaw, null)
})

test('SSLRequest is the 32-byte fixed part with CLIENT_SSL; garbage and truncation are reasons', () => {
  assert.deepEqual(parseClientHello(hex(fixed('00aa0000'))), { kind: 'ssl-request', capabilities: 0xaa00 })
  assert.deepEqual(serializeSslRequest(0x0200, 0x01000000, 45), hex(fixed('000a0000')))
  assert.match(String(parseClientHello(hex(fixed('00020000')))), /without CLIENT_SSL/)
  assert.match(String(parseClientHello(hex('0102'))), /malformed handshake response/)
  assert.match(String(parseClientHello(response.subarray(0, response.length - 5))), /truncated/)
  assert.match(String(parseClientHello(hex(`${fixed('00000000')} 41 00`))), /protocol 4\.1/)
  // A length-encoded auth length claiming more than the packet holds.
  assert.match(
    String(parseClientHello(hex(`${fixed('00822000')} 6100 fe ffffffffffffff7f`))),
    /length beyond/,
  )
})

test("ERR 1045 is ff 15 04 '#28000' + text; OK is 7 bytes; AuthSwitchRequest may carry no data", () => {
  const text = "Access denied for user 'u'@'localhost' (using password: YES)"
  const err = serializeErr({ code: 1045, sqlState: '28000', message: text })
  assert.deepEqual(err, hex(`ff 1504 23 3238303030 ${ascii(text)}`))
  assert.deepEqual(parseErr(err), { code: 1045, sqlState: '28000', message: text })
  assert.deepEqual(serializeOk(), hex('00 00 00 0200 0000'))
  assert.deepEqual(
    serializeAuthSwitch('mysql_clear_password', Buffer.alloc(0)),
    hex(`fe ${ascii('mysql_clear_password')}00`),
  )
  assert.deepEqual(parseAuthSwitch(hex(`fe ${ascii('mysql_clear_password')}00`)), {
    plugin: 'mysql_clear_password',
    data: Buffer.alloc(0),
  })
  assert.match(String(parseAuthSwitch(hex('fe 6162'))), /unterminated/)
})

test('mysql_native_password: a server holding only PASSWORD() = SHA1(SHA1(pw)) accepts the scramble', () => {
  // MySQL's published PASSWORD('password') (the mysql.user hash).
  const stored = hex('2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19')
  const sha1 = (...b: Buffer[]) => b.reduce((h, x) => h.update(x), createHash('sha1')).digest()
  const answer = nativeScramble('password', scramble)
  // The server's check: stage1 = answer XOR SHA1(scramble + stored); SHA1(stage1) must be stored.
  const mask = sha1(scramble, stored)
  const stage1 = Buffer.from(answer.map((b, i) => b ^ (mask[i] ?? 0)))
  assert.deepEqual(sha1(stage1), stored)
  assert.equal(verifyScramble('mysql_native_password', answer, 'password', scramble), true)
  assert.equal(verifyScramble('mysql_native_password', answer, 'passwore', scramble), false)
  assert.equal(verifyScramble('mysql_native_password', answer.subarray(1), 'password', scramble), false)
})

test('caching_sha2_password fast auth: XOR(SHA256(pw), SHA256(SHA256(SHA256(pw)) + scramble))', () => {
  const sha256 = (...b: Buffer[]) => b.reduce((h, x) => h.update(x), createHash('sha256')).digest()
  const stage1 = sha256(Buffer.from('s3cret'))
  const stored = sha256(stage1) // what the server caches
  const answer = cachingSha2Scramble('s3cret', scramble)
  const mask = sha256(stored, scramble)
  assert.deepEqual(sha256(Buffer.from(answer.map((b, i) => b ^ (mask[i] ?? 0)))), stored)
  assert.equal(verifyScramble('caching_sha2_password', answer, 's3cret', scramble), true)
  assert.equal(verifyScramble('caching_sha2_password', answer, 'other', scramble), false)
  assert.equal(verifyScramble('client_ed25519', answer, 's3cret', scramble), 'switch')
})
