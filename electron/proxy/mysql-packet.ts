// Sans-I/O MySQL packet basics the proxy's connection phase is built from: capability flags, the
// 4-byte packet header (3-byte length, sequence id), a bounds-checked payload reader,
// length-encoded integers, and the OK and ERR payloads. Parsers never throw: bad input is a
// `string` reason. The connection-phase messages are in mysql-wire.ts.

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
export const OK_HEADER = 0x00
export const ERR_HEADER = 0xff
/** AuthSwitchRequest during the connection phase (and EOF elsewhere). */
export const AUTH_SWITCH_HEADER = 0xfe
/** AuthMoreData: caching_sha2_password's 0x03 (fast auth success) travels in one. */
export const AUTH_MORE_DATA_HEADER = 0x01

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
export class Reader {
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

export function attempt<T>(what: string, read: () => T): T | string {
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
