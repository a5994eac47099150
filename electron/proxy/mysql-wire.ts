// Sans-I/O MySQL wire codec for the proxy's connection phase: the server greeting (HandshakeV10)
// in both directions, the client's SSLRequest / HandshakeResponse41 (with CONNECT_WITH_DB, the
// plugin name and connect attributes) and AuthSwitchRequest, over mysql-packet.ts. After
// login the proxy relays bytes verbatim, so nothing here reads commands or result sets. Parsers
// never throw: bad input is a `string` reason. Facts: docs/auth-proxy.md "MySQL wire protocol".

import { AUTH_SWITCH_HEADER, attempt, Cap, lenenc, Reader } from './mysql-packet'

const PROTOCOL_V10 = 0x0a
const SCRAMBLE_LENGTH = 20
/** The fixed part shared by SSLRequest and HandshakeResponse41: flags, max packet, charset, filler. */
const CLIENT_FIXED_SIZE = 32

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
