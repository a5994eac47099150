// The simulator's own sans-I/O codec for Session Manager ClientMessages (docs/protocol.md §3, §4). It is
// deliberately independent of the client's codec in electron/tunnel so neither can mask the
// other's bug. All ClientMessage integers are big-endian.
import { createHash, randomUUID } from 'node:crypto'

/** Byte offsets of the ClientMessage header (docs/protocol.md §3). */
export const HEADER_LENGTH = 116
const TYPE_OFFSET = 4
const TYPE_LENGTH = 32
const SCHEMA_OFFSET = 36
const DATE_OFFSET = 40
const SEQ_OFFSET = 48
const FLAGS_OFFSET = 56
const ID_OFFSET = 64
const DIGEST_OFFSET = 80
const PAYLOAD_TYPE_OFFSET = 112
/** The service's channel_closed omits PayloadType: HeaderLength 112 (docs/protocol.md §3.2 quirk 1). */
const SERVICE_HEADER_LENGTH = 112

/** PayloadType values used by port forwarding (docs/protocol.md §4.2). */
export enum PayloadType {
  Ack = 0,
  Output = 1,
  HandshakeRequest = 5,
  HandshakeResponse = 6,
  HandshakeComplete = 7,
  Flag = 10,
}

/** Flag payload values (docs/protocol.md §4.2). */
export enum FlagValue {
  DisconnectToPort = 1,
  TerminateSession = 2,
  ConnectToPortError = 3,
}

/** One decoded ClientMessage. */
export interface AgentMessage {
  headerLength: number
  messageType: string
  createdDate: number
  sequenceNumber: number
  flags: number
  messageId: string
  payloadType: number
  payload: Buffer
  digestOk: boolean
}

/** Logical UUID → wire bytes with the 8-byte halves swapped (docs/protocol.md §3.1). */
function uuidBytes(uuid: string): Buffer {
  const b = Buffer.from(uuid.replace(/-/g, ''), 'hex')
  return Buffer.concat([b.subarray(8, 16), b.subarray(0, 8)])
}

/** Wire bytes → logical lowercase hyphenated UUID (docs/protocol.md §3.1). */
function uuidString(wire: Buffer): string {
  const h = Buffer.concat([wire.subarray(8, 16), wire.subarray(0, 8)]).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * Parses one binary WebSocket message. Returns undefined when it is too short to be a
 * ClientMessage. The payload is located by HeaderLength, as the official decoder does.
 */
export function parseMessage(buf: Buffer): AgentMessage | undefined {
  if (buf.length < SERVICE_HEADER_LENGTH + 4) return undefined
  const headerLength = buf.readUInt32BE(0)
  if (headerLength < SERVICE_HEADER_LENGTH || headerLength + 4 > buf.length) return undefined
  const payload = buf.subarray(headerLength + 4)
  const digest = buf.subarray(DIGEST_OFFSET, DIGEST_OFFSET + 32)
  return {
    headerLength,
    messageType: buf
      .subarray(TYPE_OFFSET, TYPE_OFFSET + TYPE_LENGTH)
      .toString('latin1')
      .replace(/^\0+|\0+$/g, '')
      .trim(),
    createdDate: Number(buf.readBigUInt64BE(DATE_OFFSET)),
    sequenceNumber: Number(buf.readBigInt64BE(SEQ_OFFSET)),
    flags: Number(buf.readBigUInt64BE(FLAGS_OFFSET)),
    messageId: uuidString(buf.subarray(ID_OFFSET, ID_OFFSET + 16)),
    payloadType: headerLength >= HEADER_LENGTH ? buf.readUInt32BE(PAYLOAD_TYPE_OFFSET) : 0,
    payload: Buffer.from(payload),
    digestOk: createHash('sha256').update(payload).digest().equals(digest),
  }
}

/** Fields of a message to serialize; id and date default to fresh values. */
export interface OutgoingMessage {
  messageType: string
  sequenceNumber: number
  flags: number
  payloadType: number
  payload: Buffer
  messageId?: string
  createdDate?: number
}

/** Serializes a ClientMessage with HeaderLength 116 and a space-padded type (docs/protocol.md §3). */
export function serializeMessage(m: OutgoingMessage): Buffer {
  const out = Buffer.alloc(HEADER_LENGTH + 4 + m.payload.length)
  out.writeUInt32BE(HEADER_LENGTH, 0)
  out.fill(0x20, TYPE_OFFSET, TYPE_OFFSET + TYPE_LENGTH)
  out.write(m.messageType, TYPE_OFFSET, 'latin1')
  out.writeUInt32BE(1, SCHEMA_OFFSET)
  out.writeBigUInt64BE(BigInt(m.createdDate ?? Date.now()), DATE_OFFSET)
  out.writeBigInt64BE(BigInt(m.sequenceNumber), SEQ_OFFSET)
  out.writeBigUInt64BE(BigInt(m.flags), FLAGS_OFFSET)
  uuidBytes(m.messageId ?? randomUUID()).copy(out, ID_OFFSET)
  createHash('sha256').update(m.payload).digest().copy(out, DIGEST_OFFSET)
  out.writeUInt32BE(m.payloadType, PAYLOAD_TYPE_OFFSET)
  out.writeUInt32BE(m.payload.length, HEADER_LENGTH)
  m.payload.copy(out, HEADER_LENGTH + 4)
  return out
}

/** An acknowledge for `acked`: seq 0, flags 3, PayloadType 0, JSON of docs/protocol.md §4.3. */
export function serializeAck(
  acked: Pick<AgentMessage, 'messageType' | 'messageId' | 'sequenceNumber'>,
): Buffer {
  const json = JSON.stringify({
    AcknowledgedMessageType: acked.messageType,
    AcknowledgedMessageId: acked.messageId,
    AcknowledgedMessageSequenceNumber: acked.sequenceNumber,
    IsSequentialMessage: true,
  })
  return serializeMessage({
    messageType: 'acknowledge',
    sequenceNumber: 0,
    flags: 3,
    payloadType: PayloadType.Ack,
    payload: Buffer.from(json),
  })
}

/** A 4-byte big-endian flag payload. */
export function flagPayload(flag: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(flag, 0)
  return b
}

/**
 * The service's channel_closed (docs/protocol.md §3.2 quirk 1, §4.3): HeaderLength 112, NUL-padded type,
 * no PayloadType, PayloadLength at 112 and the JSON payload at 116.
 */
export function serializeChannelClosed(info: {
  sessionId: string
  destinationId: string
  output: string
}): Buffer {
  const messageId = randomUUID()
  const now = Date.now()
  const payload = Buffer.from(
    JSON.stringify({
      MessageId: messageId,
      CreatedDate: String(now),
      DestinationId: info.destinationId,
      SessionId: info.sessionId,
      MessageType: 'channel_closed',
      SchemaVersion: 1,
      Output: info.output,
    }),
  )
  const out = Buffer.alloc(SERVICE_HEADER_LENGTH + 4 + payload.length)
  out.writeUInt32BE(SERVICE_HEADER_LENGTH, 0)
  out.write('channel_closed', TYPE_OFFSET, 'latin1') // the rest of the type field stays NUL
  out.writeUInt32BE(1, SCHEMA_OFFSET)
  out.writeBigUInt64BE(BigInt(now), DATE_OFFSET)
  uuidBytes(messageId).copy(out, ID_OFFSET)
  createHash('sha256').update(payload).digest().copy(out, DIGEST_OFFSET)
  out.writeUInt32BE(payload.length, SERVICE_HEADER_LENGTH)
  payload.copy(out, SERVICE_HEADER_LENGTH + 4)
  return out
}

/**
 * start_publication / pause_publication as the service sends them: a little-endian "length" in
 * the PayloadLength field and a garbage digest (docs/protocol.md §3.2 quirk 2).
 */
export function serializePublication(type: 'start_publication' | 'pause_publication'): Buffer {
  const out = serializeMessage({
    messageType: type,
    sequenceNumber: 0,
    flags: 0,
    payloadType: 0,
    payload: Buffer.from('{}'),
  })
  out.writeUInt32LE(out.length, HEADER_LENGTH)
  out.fill(0x5a, DIGEST_OFFSET, DIGEST_OFFSET + 32)
  return out
}
