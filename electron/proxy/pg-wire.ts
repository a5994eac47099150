// Sans-I/O PostgreSQL wire codec for the proxy's client side: the untyped first packet a client
// sends (SSLRequest, GSSENCRequest, CancelRequest, StartupMessage), typed message framing, and the
// few backend messages the proxy writes itself. Backend messages from the database are parsed with
// node-postgres's pg-protocol (pg-upstream.ts); this file covers what pg-protocol does not: the
// server's view of a client. Facts: docs/auth-proxy.md "Wire protocol".

/** PostgreSQL refuses a first packet longer than this (MAX_STARTUP_PACKET_LENGTH). */
export const MAX_STARTUP_PACKET_LENGTH = 10_000
export const SSL_REQUEST_CODE = 80877103 // 1234 << 16 | 5679
export const GSSENC_REQUEST_CODE = 80877104 // 1234 << 16 | 5680
export const CANCEL_REQUEST_CODE = 80877102 // 1234 << 16 | 5678
/** A TLS record starts with 0x16: a PostgreSQL 17+ client in sslnegotiation=direct mode. */
const TLS_HANDSHAKE_BYTE = 0x16
/** Protocol 3.2 cancel keys are at most 256 bytes. */
const MAX_CANCEL_KEY_LENGTH = 256

export type FirstPacket =
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'direct-tls' }
  | { kind: 'ssl-request'; size: number }
  | { kind: 'gssenc-request'; size: number }
  | { kind: 'cancel'; size: number; processId: number; secretKey: Buffer }
  | {
      kind: 'startup'
      size: number
      major: number
      minor: number
      params: Map<string, string>
    }

/** Reads the untyped first packet at the start of `buf`. Never throws; bad input is `invalid`. */
export function parseFirstPacket(buf: Buffer): FirstPacket {
  if (buf.length >= 1 && buf[0] === TLS_HANDSHAKE_BYTE) return { kind: 'direct-tls' }
  if (buf.length < 4) return { kind: 'incomplete' }
  const size = buf.readUInt32BE(0)
  if (size < 8 || size > MAX_STARTUP_PACKET_LENGTH)
    return { kind: 'invalid', reason: `invalid length of startup packet (${size})` }
  if (buf.length < size) return { kind: 'incomplete' }
  const code = buf.readUInt32BE(4)
  if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
    if (size !== 8) return { kind: 'invalid', reason: `invalid length of ${code} request (${size})` }
    return { kind: code === SSL_REQUEST_CODE ? 'ssl-request' : 'gssenc-request', size }
  }
  if (code === CANCEL_REQUEST_CODE) {
    const keyLength = size - 12
    if (keyLength < 4 || keyLength > MAX_CANCEL_KEY_LENGTH)
      return { kind: 'invalid', reason: `invalid length of cancel request (${size})` }
    return {
      kind: 'cancel',
      size,
      processId: buf.readUInt32BE(8),
      secretKey: Buffer.from(buf.subarray(12, size)),
    }
  }
  const major = code >>> 16
  const minor = code & 0xffff
  if (major !== 3) return { kind: 'invalid', reason: `unsupported frontend protocol ${major}.${minor}` }
  const params = parseParams(buf.subarray(8, size))
  if (typeof params === 'string') return { kind: 'invalid', reason: params }
  return { kind: 'startup', size, major, minor, params }
}

/** `name\0value\0 … \0` → map; a string is the reason the list is malformed. */
function parseParams(body: Buffer): Map<string, string> | string {
  const params = new Map<string, string>()
  let at = 0
  for (;;) {
    const nameEnd = body.indexOf(0, at)
    if (nameEnd < 0) return 'startup packet has no terminator'
    if (nameEnd === at) {
      // The empty name is the terminator and must be the last byte.
      return nameEnd === body.length - 1 ? params : 'startup packet has bytes after its terminator'
    }
    const valueEnd = body.indexOf(0, nameEnd + 1)
    if (valueEnd < 0) return 'startup packet parameter has no value'
    params.set(body.toString('utf8', at, nameEnd), body.toString('utf8', nameEnd + 1, valueEnd))
    at = valueEnd + 1
  }
}

export type TypedMessage =
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'message'; type: string; body: Buffer; size: number }

/** Frames one typed message (Byte1 type, Int32 length incl. itself, body) at the start of `buf`. */
export function parseTypedMessage(buf: Buffer, maxLength: number): TypedMessage {
  if (buf.length < 5) return { kind: 'incomplete' }
  const length = buf.readUInt32BE(1)
  if (length < 4 || length > maxLength) return { kind: 'invalid', reason: `invalid message length ${length}` }
  if (buf.length < length + 1) return { kind: 'incomplete' }
  return {
    kind: 'message',
    type: String.fromCharCode(buf[0] ?? 0),
    body: buf.subarray(5, length + 1),
    size: length + 1,
  }
}

/** The text of a PasswordMessage body (a NUL-terminated string), or null when malformed. */
export function passwordFromBody(body: Buffer): string | null {
  const end = body.indexOf(0)
  if (end !== body.length - 1) return null
  return body.toString('utf8', 0, end)
}

function typed(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5)
  head.write(type, 0, 'latin1')
  head.writeUInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

function int32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4)
  values.forEach((v, i) => {
    b.writeUInt32BE(v >>> 0, i * 4)
  })
  return b
}

/** AuthenticationOk: R, subcode 0. */
export const authenticationOk = (): Buffer => typed('R', int32s(0))
/** AuthenticationCleartextPassword: R, subcode 3. */
export const authenticationCleartextPassword = (): Buffer => typed('R', int32s(3))

/** BackendKeyData with a 4-byte key (protocol 3.0). */
export function backendKeyData(processId: number, secretKey: Buffer): Buffer {
  return typed('K', Buffer.concat([int32s(processId), secretKey]))
}

/** NegotiateProtocolVersion: the newest minor version we speak and the options we ignored. */
export function negotiateProtocolVersion(minor: number, unrecognised: string[]): Buffer {
  const names = unrecognised.map((n) => Buffer.from(`${n}\0`, 'utf8'))
  return typed('v', Buffer.concat([int32s(minor, unrecognised.length), ...names]))
}

export interface ErrorFields {
  /** FATAL during startup (the connection ends), ERROR otherwise. */
  severity: 'FATAL' | 'ERROR'
  /** SQLSTATE, five characters. */
  code: string
  message: string
  detail?: string
  hint?: string
}

/** ErrorResponse: S and V severity, C, M, then D and H when given. */
export function errorResponse(fields: ErrorFields): Buffer {
  const parts: Array<[string, string | undefined]> = [
    ['S', fields.severity],
    ['V', fields.severity],
    ['C', fields.code],
    ['M', fields.message],
    ['D', fields.detail],
    ['H', fields.hint],
  ]
  const body = parts
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => Buffer.from(`${k}${v.replaceAll('\0', '')}\0`, 'utf8'))
  return typed('E', Buffer.concat([...body, Buffer.from([0])]))
}

/** A protocol 3.0 StartupMessage from ordered parameters (pg-protocol's adds client_encoding). */
export function startupMessage(params: Array<[string, string]>): Buffer {
  const body = Buffer.concat([
    int32s(3 << 16),
    ...params.map(([k, v]) => Buffer.from(`${k}\0${v}\0`, 'utf8')),
    Buffer.from([0]),
  ])
  return Buffer.concat([int32s(body.length + 4), body])
}

/** A CancelRequest for a backend (pid, key bytes). */
export function cancelRequest(processId: number, secretKey: Buffer): Buffer {
  return Buffer.concat([int32s(12 + secretKey.length, CANCEL_REQUEST_CODE, processId), secretKey])
}

/** SSLRequest. */
export const sslRequest = (): Buffer => int32s(8, SSL_REQUEST_CODE)
