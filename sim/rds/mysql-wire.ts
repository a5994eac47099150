// MySQL client/server protocol pieces the simulator's MySQL IAM gate needs for the connection phase:
// packet framing, HandshakeV10, SSLRequest / HandshakeResponse41, AuthSwitchRequest, OK and ERR.
// Written from the protocol description in docs/mysql.md (spec mysql-iam.md §1-§4); shares no code
// with the app's driver (mysql2), so the gate checks the client instead of agreeing with it.
import { createHash } from 'node:crypto'

/** Capability flags (spec mysql-iam.md §2). */
export const Cap = {
  LONG_PASSWORD: 0x1, // also "CLIENT_MYSQL": set means no MariaDB extended capabilities
  FOUND_ROWS: 0x2,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  NO_SCHEMA: 0x10,
  COMPRESS: 0x20,
  ODBC: 0x40,
  LOCAL_FILES: 0x80,
  IGNORE_SPACE: 0x100,
  PROTOCOL_41: 0x200,
  INTERACTIVE: 0x400,
  SSL: 0x800,
  IGNORE_SIGPIPE: 0x1000,
  TRANSACTIONS: 0x2000,
  RESERVED: 0x4000,
  SECURE_CONNECTION: 0x8000,
  MULTI_STATEMENTS: 0x10000,
  MULTI_RESULTS: 0x20000,
  PS_MULTI_RESULTS: 0x40000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
  CAN_HANDLE_EXPIRED_PASSWORDS: 0x400000,
  SESSION_TRACK: 0x800000,
  DEPRECATE_EOF: 0x1000000,
} as const

/** Largest payload of one packet; bigger payloads are split (never needed while connecting). */
export const MAX_PAYLOAD = 0xffffff

/** One MySQL packet: sequence id and payload. */
export interface MySqlPacket {
  seq: number
  payload: Buffer
}

/** Frames a payload as one packet (3-byte little-endian length, 1-byte sequence id). */
export function packet(seq: number, payload: Buffer): Buffer {
  if (payload.length >= MAX_PAYLOAD) throw new Error('connection-phase packet too large')
  const head = Buffer.alloc(4)
  head.writeUIntLE(payload.length, 0, 3)
  head[3] = seq & 0xff
  return Buffer.concat([head, payload])
}

/** Accumulates bytes and cuts whole packets. */
export class MySqlPacketReader {
  private buf: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
  }

  get buffered(): number {
    return this.buf.length
  }

  /** The next whole packet, or null. Throws on a payload over `limit` (a handshake never needs one). */
  next(limit = 64 * 1024): MySqlPacket | null {
    if (this.buf.length < 4) return null
    const len = this.buf.readUIntLE(0, 3)
    if (len > limit) throw new Error(`packet of ${len} bytes during the connection phase`)
    if (this.buf.length < 4 + len) return null
    const p = { seq: this.buf.readUInt8(3), payload: this.buf.subarray(4, 4 + len) }
    this.buf = this.buf.subarray(4 + len)
    return p
  }

  /** Hands back unconsumed bytes (for a TLS upgrade or the splice). */
  drain(): Buffer {
    const rest = this.buf
    this.buf = Buffer.alloc(0)
    return rest
  }
}

/** Writes a length-encoded integer. */
export function lenencInt(n: number): Buffer {
  if (n < 0xfb) return Buffer.from([n])
  if (n < 0x10000) return Buffer.from([0xfc, n & 0xff, n >> 8])
  if (n < 0x1000000) return Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16])
  const b = Buffer.alloc(9)
  b[0] = 0xfe
  b.writeBigUInt64LE(BigInt(n), 1)
  return b
}

/** A cursor over a payload; every read throws RangeError past the end (caught as "malformed"). */
class Cursor {
  pos = 0
  constructor(private readonly b: Buffer) {}
  get left(): number {
    return this.b.length - this.pos
  }
  u8(): number {
    if (this.left < 1) throw new RangeError('truncated')
    return this.b.readUInt8(this.pos++)
  }
  u16(): number {
    const v = this.b.readUInt16LE(this.pos)
    this.pos += 2
    return v
  }
  u32(): number {
    const v = this.b.readUInt32LE(this.pos)
    this.pos += 4
    return v
  }
  bytes(n: number): Buffer {
    if (n > this.left) throw new RangeError('truncated')
    const v = this.b.subarray(this.pos, this.pos + n)
    this.pos += n
    return v
  }
  cstring(): string {
    const end = this.b.indexOf(0, this.pos)
    if (end < 0) throw new RangeError('unterminated string')
    const v = this.b.toString('utf8', this.pos, end)
    this.pos = end + 1
    return v
  }
  lenenc(): number {
    const first = this.u8()
    if (first < 0xfb) return first
    if (first === 0xfc) return this.u16()
    if (first === 0xfd) return this.bytes(3).readUIntLE(0, 3)
    if (first === 0xfe) return Number(this.bytes(8).readBigUInt64LE(0))
    throw new RangeError('bad length-encoded integer')
  }
  rest(): Buffer {
    return this.bytes(this.left)
  }
}

/** The server greeting's fields. */
export interface HandshakeV10 {
  version: string
  threadId: number
  /** 20 bytes of auth-plugin data. */
  scramble: Buffer
  capabilities: number
  charset: number
  status: number
  authPlugin: string
}

/** Serializes a HandshakeV10 payload (spec §3). */
export function serializeHandshakeV10(h: HandshakeV10): Buffer {
  const head = Buffer.alloc(4)
  head.writeUInt32LE(h.threadId >>> 0)
  const mid = Buffer.alloc(1 + 2 + 1 + 2 + 2 + 1 + 10)
  mid[0] = 0 // filler
  mid.writeUInt16LE(h.capabilities & 0xffff, 1)
  mid[3] = h.charset
  mid.writeUInt16LE(h.status, 4)
  mid.writeUInt16LE((h.capabilities >>> 16) & 0xffff, 6)
  mid[8] = h.scramble.length + 1
  return Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(`${h.version}\0`, 'utf8'),
    head,
    h.scramble.subarray(0, 8),
    mid,
    h.scramble.subarray(8),
    Buffer.from([0]),
    Buffer.from(`${h.authPlugin}\0`, 'utf8'),
  ])
}

/** Parses a HandshakeV10 (the upstream's greeting); throws on anything else. */
export function parseHandshakeV10(payload: Buffer): HandshakeV10 {
  const c = new Cursor(payload)
  const proto = c.u8()
  if (proto !== 0x0a) throw new Error(`upstream greeting is not HandshakeV10 (first byte ${proto})`)
  const version = c.cstring()
  const threadId = c.u32()
  const part1 = c.bytes(8)
  c.u8()
  const capLow = c.u16()
  const charset = c.u8()
  const status = c.u16()
  const capHigh = c.u16()
  const dataLen = c.u8()
  c.bytes(10)
  const part2 = c.bytes(Math.max(13, dataLen - 8))
  const authPlugin = c.left ? c.cstring() : 'mysql_native_password'
  const scramble = Buffer.concat([part1, part2]).subarray(0, 20)
  return { version, threadId, scramble, capabilities: (capHigh << 16) | capLow, charset, status, authPlugin }
}

/** What a client sends after the greeting: an SSLRequest or a HandshakeResponse41. */
export interface ClientHello {
  capabilities: number
  maxPacket: number
  charset: number
  /** Only the 32-byte SSLRequest: nothing follows the fixed header. */
  sslRequest: boolean
  user: string
  authResponse: Buffer
  database: string | null
  authPlugin: string | null
}

/** Parses an SSLRequest or a HandshakeResponse41 (spec §3); throws on a malformed packet. */
export function parseClientHello(payload: Buffer): ClientHello {
  const c = new Cursor(payload)
  const capabilities = c.u32()
  const maxPacket = c.u32()
  const charset = c.u8()
  c.bytes(23)
  const base = { capabilities, maxPacket, charset }
  if (c.left === 0) {
    if (!(capabilities & Cap.SSL)) throw new Error('short handshake response without CLIENT_SSL')
    return {
      ...base,
      sslRequest: true,
      user: '',
      authResponse: Buffer.alloc(0),
      database: null,
      authPlugin: null,
    }
  }
  if (!(capabilities & Cap.PROTOCOL_41)) throw new Error('client does not speak protocol 4.1')
  const user = c.cstring()
  let authResponse: Buffer
  if (capabilities & Cap.PLUGIN_AUTH_LENENC_CLIENT_DATA) authResponse = c.bytes(c.lenenc())
  else if (capabilities & Cap.SECURE_CONNECTION) authResponse = c.bytes(c.u8())
  else authResponse = Buffer.from(c.cstring(), 'utf8')
  const database = capabilities & Cap.CONNECT_WITH_DB && c.left ? c.cstring() : null
  const authPlugin = capabilities & Cap.PLUGIN_AUTH && c.left ? c.cstring() : null
  return { ...base, sslRequest: false, user, authResponse, database, authPlugin }
}

/** Serializes a HandshakeResponse41 (the gate logging in upstream; no attributes). */
export function serializeHandshakeResponse(r: {
  capabilities: number
  maxPacket: number
  charset: number
  user: string
  authResponse: Buffer
  database: string | null
  authPlugin: string
}): Buffer {
  const head = Buffer.alloc(32)
  head.writeUInt32LE(r.capabilities >>> 0, 0)
  head.writeUInt32LE(r.maxPacket >>> 0, 4)
  head[8] = r.charset
  const auth =
    r.capabilities & Cap.PLUGIN_AUTH_LENENC_CLIENT_DATA
      ? Buffer.concat([lenencInt(r.authResponse.length), r.authResponse])
      : Buffer.concat([Buffer.from([r.authResponse.length]), r.authResponse])
  return Buffer.concat([
    head,
    Buffer.from(`${r.user}\0`, 'utf8'),
    auth,
    r.capabilities & Cap.CONNECT_WITH_DB ? Buffer.from(`${r.database ?? ''}\0`, 'utf8') : Buffer.alloc(0),
    Buffer.from(`${r.authPlugin}\0`, 'utf8'),
  ])
}

/** AuthSwitchRequest: 0xFE, plugin name, plugin data (may be empty, as Aurora sends it; spec §3). */
export function serializeAuthSwitch(plugin: string, data: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([0xfe]), Buffer.from(`${plugin}\0`, 'utf8'), data])
}

/** Parses an AuthSwitchRequest payload (first byte 0xFE). */
export function parseAuthSwitch(payload: Buffer): { plugin: string; data: Buffer } {
  const c = new Cursor(payload)
  c.u8()
  const plugin = c.cstring()
  return { plugin, data: c.rest() }
}

/** ERR packet with SQLSTATE (protocol 4.1; spec §3). */
export function serializeErr(code: number, sqlState: string, message: string): Buffer {
  const head = Buffer.alloc(3)
  head[0] = 0xff
  head.writeUInt16LE(code, 1)
  return Buffer.concat([head, Buffer.from(`#${sqlState}`, 'ascii'), Buffer.from(message, 'utf8')])
}

/** Parses an ERR payload (first byte 0xFF). */
export function parseErr(payload: Buffer): { code: number; sqlState: string; message: string } {
  const code = payload.readUInt16LE(1)
  const hasState = payload[3] === 0x23
  return {
    code,
    sqlState: hasState ? payload.toString('ascii', 4, 9) : 'HY000',
    message: payload.toString('utf8', hasState ? 9 : 3),
  }
}

/** The minimal OK after authentication: no rows, no id, autocommit, no warnings. */
export function serializeOk(status = 0x0002): Buffer {
  const b = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
  b.writeUInt16LE(status, 3)
  return b
}

const sha1 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha1')
  for (const p of parts) h.update(p)
  return h.digest()
}

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); empty for an empty password. */
export function nativePasswordScramble(password: string, scramble: Buffer): Buffer {
  if (!password) return Buffer.alloc(0)
  const stage1 = sha1(Buffer.from(password, 'utf8'))
  const mask = sha1(scramble.subarray(0, 20), sha1(stage1))
  for (let i = 0; i < stage1.length; i++) stage1[i] = stage1.readUInt8(i) ^ mask.readUInt8(i)
  return stage1
}
