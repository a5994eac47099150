// Sans-I/O pieces of the PostgreSQL v3 wire protocol that the RDS IAM gate needs: framing of the
// untyped startup-phase packets and of typed messages, and the few server messages it writes.
// Written from the protocol docs ("Message Formats"), independent of pg-protocol, so the gate does not
// share a codec with the client library it is tested with.

/** Protocol codes carried in the int32 after the length of a startup-phase packet. */
export const SSL_REQUEST_CODE = 80877103
export const GSSENC_REQUEST_CODE = 80877104
export const CANCEL_REQUEST_CODE = 80877102
export const PROTOCOL_3_0 = 196608

/** PostgreSQL refuses startup packets above this (MAX_STARTUP_PACKET_LENGTH in pqcomm.h). */
export const MAX_STARTUP_PACKET_LENGTH = 10000
/** Upper bound for a PasswordMessage (PG_MAX_AUTH_TOKEN_LENGTH in auth.c). */
export const MAX_AUTH_MESSAGE_LENGTH = 65535

/** A packet of the startup phase (no type byte). */
export type StartupPacket =
  | { kind: 'ssl-request' }
  | { kind: 'gssenc-request' }
  | { kind: 'cancel'; raw: Buffer; processId: number; secretKey: number }
  | { kind: 'startup'; raw: Buffer; version: number; params: Map<string, string> }

/** A typed message: one type byte, then the body without the length word. */
export interface TypedMessage {
  type: string
  body: Buffer
  /** The whole message as received (type + length + body), for forwarding unchanged. */
  raw: Buffer
}

/** Raised for framing the gate must refuse (bad length, malformed packet). */
export class PgWireError extends Error {}

/**
 * Accumulates bytes from a socket and cuts them into frames. Handles frames split across chunks and
 * several frames in one chunk; the caller decides which kind of frame it expects next.
 */
export class PgFrameReader {
  private buf: Buffer = Buffer.alloc(0)

  /** Appends received bytes. */
  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
  }

  /** Number of bytes received but not yet consumed. */
  get buffered(): number {
    return this.buf.length
  }

  /** Removes and returns every unconsumed byte (used when switching to a raw splice). */
  drain(): Buffer {
    const rest = this.buf
    this.buf = Buffer.alloc(0)
    return rest
  }

  /** The next startup-phase packet, or null if incomplete. Throws PgWireError on a bad packet. */
  nextStartupPacket(): StartupPacket | null {
    if (this.buf.length < 4) return null
    const len = this.buf.readInt32BE(0)
    if (len < 8 || len > MAX_STARTUP_PACKET_LENGTH) throw new PgWireError('invalid length of startup packet')
    if (this.buf.length < len) return null
    const raw = this.buf.subarray(0, len)
    this.buf = this.buf.subarray(len)
    return parseStartupPacket(Buffer.from(raw))
  }

  /** The next typed message, or null if incomplete. Throws PgWireError if its length is out of range. */
  nextMessage(maxLength: number): TypedMessage | null {
    if (this.buf.length < 5) return null
    const len = this.buf.readInt32BE(1)
    if (len < 4 || len > maxLength) throw new PgWireError(`invalid message length ${len}`)
    if (this.buf.length < len + 1) return null
    const raw = Buffer.from(this.buf.subarray(0, len + 1))
    this.buf = this.buf.subarray(len + 1)
    return { type: String.fromCharCode(raw.readUInt8(0)), body: raw.subarray(5), raw }
  }
}

function parseStartupPacket(raw: Buffer): StartupPacket {
  const code = raw.readInt32BE(4)
  if (code === SSL_REQUEST_CODE && raw.length === 8) return { kind: 'ssl-request' }
  if (code === GSSENC_REQUEST_CODE && raw.length === 8) return { kind: 'gssenc-request' }
  if (code === CANCEL_REQUEST_CODE) {
    if (raw.length !== 16) throw new PgWireError('invalid length of cancel request')
    return { kind: 'cancel', raw, processId: raw.readInt32BE(8), secretKey: raw.readInt32BE(12) }
  }
  return { kind: 'startup', raw, version: code, params: parseStartupParams(raw.subarray(8)) }
}

// name\0value\0 ... \0 — PostgreSQL requires the final terminator and rejects anything ragged.
function parseStartupParams(body: Buffer): Map<string, string> {
  const params = new Map<string, string>()
  let pos = 0
  for (;;) {
    const nameEnd = body.indexOf(0, pos)
    if (nameEnd < 0) throw new PgWireError('invalid startup packet layout: expected terminator as last byte')
    if (nameEnd === pos) {
      if (nameEnd !== body.length - 1) throw new PgWireError('invalid startup packet layout')
      return params
    }
    const valueEnd = body.indexOf(0, nameEnd + 1)
    if (valueEnd < 0) throw new PgWireError('invalid startup packet layout: expected terminator as last byte')
    params.set(body.toString('utf8', pos, nameEnd), body.toString('utf8', nameEnd + 1, valueEnd))
    pos = valueEnd + 1
  }
}

/** Reads a PasswordMessage body (a NUL-terminated string). Throws PgWireError if malformed. */
export function parsePasswordBody(body: Buffer): string {
  const end = body.indexOf(0)
  if (end !== body.length - 1) throw new PgWireError('invalid password packet size')
  return body.toString('utf8', 0, end)
}

/** Reads the auth request code of an 'R' message body. */
export function authCode(body: Buffer): number {
  if (body.length < 4) throw new PgWireError('short authentication message')
  return body.readInt32BE(0)
}

/** Fields of an ErrorResponse/NoticeResponse, keyed by their one-letter code (S, V, C, M, …). */
export type ErrorFields = Record<string, string>

/** Parses an ErrorResponse/NoticeResponse body into its fields. */
export function parseErrorFields(body: Buffer): ErrorFields {
  const fields: ErrorFields = {}
  let pos = 0
  while (pos < body.length && body[pos] !== 0) {
    const code = String.fromCharCode(body.readUInt8(pos))
    const end = body.indexOf(0, pos + 1)
    if (end < 0) break
    fields[code] = body.toString('utf8', pos + 1, end)
    pos = end + 1
  }
  return fields
}

function typed(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5)
  head.write(type, 0, 'latin1')
  head.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

function cstrings(values: string[]): Buffer {
  return Buffer.concat(values.map((v) => Buffer.from(`${v}\0`, 'utf8')))
}

/** ErrorResponse ('E'); field order follows the server's (S, V, C, M, then the rest). */
export function serializeErrorResponse(fields: ErrorFields): Buffer {
  const order = ['S', 'V', 'C', 'M', ...Object.keys(fields).filter((k) => !'SVCM'.includes(k))]
  const parts = order.filter((k) => fields[k] !== undefined).map((k) => `${k}${fields[k]}`)
  return typed('E', Buffer.concat([cstrings(parts), Buffer.from([0])]))
}

/** AuthenticationCleartextPassword: 'R' with code 3. */
export function serializeAuthCleartextPassword(): Buffer {
  const body = Buffer.alloc(4)
  body.writeInt32BE(3)
  return typed('R', body)
}

/** StartupMessage for protocol 3.0 with the given parameters (user first, as clients do). */
export function serializeStartupMessage(params: Map<string, string>): Buffer {
  const pairs: string[] = []
  for (const [k, v] of params) pairs.push(k, v)
  const body = Buffer.concat([cstrings(pairs), Buffer.from([0])])
  const head = Buffer.alloc(8)
  head.writeInt32BE(body.length + 8, 0)
  head.writeInt32BE(PROTOCOL_3_0, 4)
  return Buffer.concat([head, body])
}

/** Terminate ('X'), sent to the upstream when the gate gives up on a half-opened session. */
export function serializeTerminate(): Buffer {
  return typed('X', Buffer.alloc(0))
}
