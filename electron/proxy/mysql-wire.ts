// Sans-I/O MySQL wire codec for the proxy's connection phase: packet framing, the server greeting
// (HandshakeV10) in both directions, the client's SSLRequest / HandshakeResponse41 (with
// CONNECT_WITH_DB, the plugin name and connect attributes), AuthSwitchRequest, OK and ERR. After
// login the proxy relays bytes verbatim, so nothing here reads commands or result sets. Parsers
// never throw: bad input is a `string` reason. Facts: docs/auth-proxy.md "MySQL wire protocol".

/** Capability flags (CLIENT_* in mysql_com.h). */
export const Cap = {
  LONG_PASSWORD: 0x1, // MariaDB reads it as CLIENT_MYSQL: unset means extended capabilities follow
  CONNECT_WITH_DB: 0x8,
  COMPRESS: 0x20,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  SECURE_CONNECTION: 0x8000,
  MULTI_STATEMENTS: 0x10000,
  MULTI_RESULTS: 0x20000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
  DEPRECATE_EOF: 0x1000000,
  ZSTD_COMPRESSION: 0x4000000,
} as const

export const HEADER_SIZE = 4
/** A payload of this length or more continues in the next packet. */
export const MAX_PAYLOAD = 0xffffff
const PROTOCOL_V10 = 0x0a
export const OK_HEADER = 0x00
export const ERR_HEADER = 0xff
/** AuthSwitchRequest during the connection phase (and EOF elsewhere). */
export const AUTH_SWITCH_HEADER = 0xfe
/** AuthMoreData: caching_sha2_password's 0x03 (fast auth success) travels in one. */
export const AUTH_MORE_DATA_HEADER = 0x01
const SCRAMBLE_LENGTH = 20
/** The fixed part shared by SSLRequest and HandshakeResponse41: flags, max packet, charset, filler. */
const CLIENT_FIXED_SIZE = 32

export interface MySqlPacket {
  seq: number
  payload: Buffer
  /** Header + payload: the bytes this packet used. */
  size: number
}

/** Frames one payload: 3-byte little-endian length, sequence id. */
export function frame(seq: number, payload: Buffer): Buffer {
  if (payload.length >= MAX_PAYLOAD) throw new RangeError('connection-phase payload too large')
  const head = Buffer.alloc(HEADER_SIZE)
  head.writeUIntLE(payload.length, 0, 3)
  head[3] = seq & 0xff
  return Buffer.concat([head, payload])
}

/** The packet at the start of `buf`: null while incomplete, a reason if longer than `limit`. */
export function parsePacket(buf: Buffer, limit: number): MySqlPacket | null | string {
  if (buf.length < HEADER_SIZE) return null
  const length = buf.readUIntLE(0, 3)
  if (length > limit) return `packet of ${length} bytes exceeds ${limit} during the connection phase`
  if (buf.length < HEADER_SIZE + length) return null
  return {
    seq: buf[3] ?? 0,
    payload: buf.subarray(HEADER_SIZE, HEADER_SIZE + length),
    size: HEADER_SIZE + length,
  }
}

/** Reads a payload left to right; every read past the end throws, and parse functions catch it. */
class Reader {
  pos = 0
  constructor(private readonly b: Buffer) {}
  get left(): number {
    return this.b.length - this.pos
  }
  bytes(n: number): Buffer {
    if (n < 0 || n > this.left) throw new RangeError('truncated')
    const v = this.b.subarray(this.pos, this.pos + n)
    this.pos += n
    return v
  }
  u8 = (): number => this.bytes(1).readUInt8(0)
  u16 = (): number => this.bytes(2).readUInt16LE(0)
  u32 = (): number => this.bytes(4).readUInt32LE(0)
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
    if (first === 0xfe) {
      const v = this.bytes(8).readBigUInt64LE(0)
      if (v > BigInt(this.left)) throw new RangeError('length beyond the packet')
      return Number(v)
    }
    throw new RangeError(`bad length-encoded integer 0x${first.toString(16)}`)
  }
}

function attempt<T>(what: string, read: () => T): T | string {
  try {
    return read()
  } catch (err) {
    return `malformed ${what}: ${(err as Error).message}`
  }
}

/** A length-encoded integer. */
export function lenenc(n: number): Buffer {
  if (n < 0xfb) return Buffer.from([n])
  if (n < 0x10000) return Buffer.from([0xfc, n & 0xff, n >>> 8])
  if (n < 0x1000000) return Buffer.from([0xfd, n & 0xff, (n >>> 8) & 0xff, n >>> 16])
  const b = Buffer.alloc(9)
  b[0] = 0xfe
  b.writeBigUInt64LE(BigInt(n), 1)
  return b
}

export interface HandshakeV10 {
  version: string
  /** The connection id: what KILL QUERY and CONNECTION_ID() name. */
  threadId: number
  /** 20 bytes of auth-plugin data. */
  scramble: Buffer
  capabilities: number
  charset: number
  status: number
  authPlugin: string
}

/** A HandshakeV10 payload (the proxy's greeting to its clients). */
export function serializeHandshakeV10(h: HandshakeV10): Buffer {
  if (h.scramble.length !== SCRAMBLE_LENGTH) throw new RangeError('the scramble must be 20 bytes')
  const thread = Buffer.alloc(4)
  thread.writeUInt32LE(h.threadId >>> 0)
  const mid = Buffer.alloc(1 + 2 + 1 + 2 + 2 + 1 + 10) // filler … reserved
  mid.writeUInt16LE(h.capabilities & 0xffff, 1)
  mid[3] = h.charset
  mid.writeUInt16LE(h.status, 4)
  mid.writeUInt16LE((h.capabilities >>> 16) & 0xffff, 6)
  mid[8] = SCRAMBLE_LENGTH + 1
  return Buffer.concat([
    Buffer.from([PROTOCOL_V10]),
    Buffer.from(`${h.version}\0`, 'utf8'),
    thread,
    h.scramble.subarray(0, 8),
    mid,
    h.scramble.subarray(8),
    Buffer.from([0]),
    Buffer.from(`${h.authPlugin}\0`, 'utf8'),
  ])
}

/** The upstream's greeting. */
export function parseHandshakeV10(payload: Buffer): HandshakeV10 | string {
  return attempt('server greeting', () => {
    const r = new Reader(payload)
    const proto = r.u8()
    if (proto !== PROTOCOL_V10) throw new Error(`protocol ${proto}, not HandshakeV10`)
    const version = r.cstring()
    const threadId = r.u32()
    const part1 = r.bytes(8)
    r.u8()
    const capLow = r.u16()
    const charset = r.u8()
    const status = r.u16()
    const capHigh = r.u16()
    const dataLength = r.u8()
    r.bytes(10)
    const part2 = r.bytes(Math.max(13, dataLength - 8))
    const authPlugin = r.left ? r.cstring() : 'mysql_native_password'
    const scramble = Buffer.concat([part1, part2]).subarray(0, SCRAMBLE_LENGTH)
    return {
      version,
      threadId,
      scramble,
      capabilities: ((capHigh << 16) | capLow) >>> 0,
      charset,
      status,
      authPlugin,
    }
  })
}

export type ClientHello =
  | { kind: 'ssl-request'; capabilities: number }
  | {
      kind: 'response'
      capabilities: number
      maxPacket: number
      charset: number
      user: string
      authResponse: Buffer
      /** null without CONNECT_WITH_DB (or an empty name). */
      database: string | null
      /** null without PLUGIN_AUTH. */
      authPlugin: string | null
      /** The attribute block as sent (length prefix excluded), passed upstream untouched. */
      attrsRaw: Buffer | null
      attrs: Map<string, string>
    }

/** The client's answer to the greeting: an SSLRequest or a HandshakeResponse41. */
export function parseClientHello(payload: Buffer): ClientHello | string {
  return attempt('handshake response', (): ClientHello => {
    const r = new Reader(payload)
    const capabilities = r.u32()
    const maxPacket = r.u32()
    const charset = r.u8()
    r.bytes(23)
    if (r.left === 0) {
      if (!(capabilities & Cap.SSL)) throw new Error('a short response without CLIENT_SSL')
      return { kind: 'ssl-request', capabilities }
    }
    if (!(capabilities & Cap.PROTOCOL_41)) throw new Error('the client does not speak protocol 4.1')
    const user = r.cstring()
    let authResponse: Buffer
    if (capabilities & Cap.PLUGIN_AUTH_LENENC_CLIENT_DATA) authResponse = r.bytes(r.lenenc())
    else if (capabilities & Cap.SECURE_CONNECTION) authResponse = r.bytes(r.u8())
    else authResponse = Buffer.from(r.cstring(), 'utf8')
    const database = capabilities & Cap.CONNECT_WITH_DB && r.left ? r.cstring() || null : null
    const authPlugin = capabilities & Cap.PLUGIN_AUTH && r.left ? r.cstring() : null
    let attrsRaw: Buffer | null = null
    const attrs = new Map<string, string>()
    if (capabilities & Cap.CONNECT_ATTRS && r.left) {
      attrsRaw = r.bytes(r.lenenc())
      const a = new Reader(attrsRaw)
      while (a.left) {
        const key = a.bytes(a.lenenc()).toString('utf8')
        attrs.set(key, a.bytes(a.lenenc()).toString('utf8'))
      }
    }
    return {
      kind: 'response',
      capabilities,
      maxPacket,
      charset,
      user,
      authResponse: Buffer.from(authResponse),
      database,
      authPlugin,
      attrsRaw: attrsRaw && Buffer.from(attrsRaw),
      attrs,
    }
  })
}

function clientFixed(capabilities: number, maxPacket: number, charset: number): Buffer {
  const b = Buffer.alloc(CLIENT_FIXED_SIZE)
  b.writeUInt32LE(capabilities >>> 0, 0)
  b.writeUInt32LE(maxPacket >>> 0, 4)
  b[8] = charset
  return b
}

/** SSLRequest: the fixed part alone, with CLIENT_SSL. */
export function serializeSslRequest(capabilities: number, maxPacket: number, charset: number): Buffer {
  return clientFixed(capabilities | Cap.SSL, maxPacket, charset)
}

export interface HandshakeResponse {
  capabilities: number
  maxPacket: number
  charset: number
  user: string
  authResponse: Buffer
  database: string | null
  authPlugin: string
  attrsRaw: Buffer | null
}

/** HandshakeResponse41; the auth data is length-encoded (an IAM token is longer than 255 bytes). */
export function serializeHandshakeResponse(r: HandshakeResponse): Buffer {
  if (!(r.capabilities & Cap.PLUGIN_AUTH_LENENC_CLIENT_DATA) || !(r.capabilities & Cap.PLUGIN_AUTH))
    throw new RangeError('the response is written with PLUGIN_AUTH and PLUGIN_AUTH_LENENC_CLIENT_DATA')
  const parts = [
    clientFixed(r.capabilities, r.maxPacket, r.charset),
    Buffer.from(`${r.user}\0`, 'utf8'),
    lenenc(r.authResponse.length),
    r.authResponse,
  ]
  if (r.capabilities & Cap.CONNECT_WITH_DB) parts.push(Buffer.from(`${r.database ?? ''}\0`, 'utf8'))
  parts.push(Buffer.from(`${r.authPlugin}\0`, 'utf8'))
  if (r.capabilities & Cap.CONNECT_ATTRS) {
    const attrs = r.attrsRaw ?? Buffer.alloc(0)
    parts.push(lenenc(attrs.length), attrs)
  }
  return Buffer.concat(parts)
}

/** AuthSwitchRequest: 0xFE, plugin name, plugin data. */
export function serializeAuthSwitch(plugin: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([AUTH_SWITCH_HEADER]), Buffer.from(`${plugin}\0`, 'utf8'), data])
}

/** An AuthSwitchRequest payload; the data may be empty (Aurora sends none for cleartext). */
export function parseAuthSwitch(payload: Buffer): { plugin: string; data: Buffer } | string {
  return attempt('auth switch request', () => {
    const r = new Reader(payload)
    if (r.u8() !== AUTH_SWITCH_HEADER) throw new Error('not an AuthSwitchRequest')
    const plugin = r.cstring()
    return { plugin, data: Buffer.from(r.bytes(r.left)) }
  })
}

export interface MySqlError {
  code: number
  sqlState: string
  message: string
}

/** ERR with a SQLSTATE (protocol 4.1). */
export function serializeErr(e: MySqlError): Buffer {
  const head = Buffer.alloc(3)
  head[0] = ERR_HEADER
  head.writeUInt16LE(e.code, 1)
  return Buffer.concat([head, Buffer.from(`#${e.sqlState}`, 'ascii'), Buffer.from(e.message, 'utf8')])
}

/** An ERR payload (first byte 0xFF); the SQLSTATE marker is optional before protocol 4.1. */
export function parseErr(payload: Buffer): MySqlError | string {
  return attempt('error packet', () => {
    const r = new Reader(payload)
    if (r.u8() !== ERR_HEADER) throw new Error('not an ERR packet')
    const code = r.u16()
    const marked = payload[3] === 0x23 // '#'
    const sqlState = marked ? r.bytes(6).toString('ascii', 1) : 'HY000'
    return { code, sqlState, message: payload.toString('utf8', r.pos) }
  })
}

/** The minimal OK: no rows, no insert id, the given status flags, no warnings. */
export function serializeOk(status = 0x0002): Buffer {
  const b = Buffer.alloc(7)
  b.writeUInt16LE(status, 3)
  return b
}
