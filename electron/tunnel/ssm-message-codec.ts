// Sans-I/O codec for the Session Manager ClientMessage (spec docs/protocol.md §3). Big-endian
// header, space-padded 32-byte type, MessageId halves swapped, raw SHA-256 digest. Decoding never
// throws: a malformed frame comes back as `{ ok: false }` so a socket handler can log and drop it.
import { createHash, randomUUID } from 'node:crypto'

/** Message types on the wire (docs/protocol.md §4.1). */
export const MessageType = {
  InputStreamData: 'input_stream_data',
  OutputStreamData: 'output_stream_data',
  Acknowledge: 'acknowledge',
  ChannelClosed: 'channel_closed',
  StartPublication: 'start_publication',
  PausePublication: 'pause_publication',
} as const

/** PayloadType values (docs/protocol.md §4.2). */
export const PayloadType = {
  Output: 1,
  Error: 2,
  Size: 3,
  Parameter: 4,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const

/** Flag payload values carried with PayloadType.Flag (docs/protocol.md §4.2). */
export const PortFlag = { DisconnectToPort: 1, TerminateSession: 2, ConnectToPortError: 3 } as const

/** Header offsets (docs/protocol.md §3). HeaderLength is the offset of PayloadLength. */
export const Header = {
  length: 116,
  typeOffset: 4,
  typeLength: 32,
  schemaVersionOffset: 36,
  createdDateOffset: 40,
  sequenceOffset: 48,
  flagsOffset: 56,
  messageIdOffset: 64,
  digestOffset: 80,
  payloadTypeOffset: 112,
  payloadOffset: 120,
  /** The service's channel_closed has no PayloadType field (docs/protocol.md §3.2 quirk 1). */
  minLength: 112,
} as const

/** Message flags: bit0 SYN, bit1 FIN; acks carry both (docs/protocol.md §4.1). */
export const MessageFlag = { SYN: 1, FIN: 2 } as const

/** A decoded ClientMessage. Numbers are safe: sequence numbers never reach 2^53. */
export interface ClientMessage {
  headerLength: number
  messageType: string
  schemaVersion: number
  createdDate: number
  sequenceNumber: number
  flags: number
  /** Logical UUID string, lowercase hyphenated. */
  messageId: string
  payloadType: number
  payloadLength: number
  payload: Buffer
  /** Whether the digest matched; always true for start/pause_publication (not checked). */
  digestOk: boolean
}

export type DecodeResult = { ok: true; message: ClientMessage } | { ok: false; error: string }

/** What the encoder needs; id and time are generated when absent. */
export interface EncodeInput {
  messageType: string
  sequenceNumber: number
  flags: number
  payloadType: number
  payload: Buffer
  messageId?: string
  createdDate?: number
}

function uuidToWire(uuid: string): Buffer {
  const logical = Buffer.from(uuid.replace(/-/g, ''), 'hex')
  if (logical.length !== 16) throw new Error(`Invalid message id ${uuid}`)
  return Buffer.concat([logical.subarray(8, 16), logical.subarray(0, 8)])
}

function wireToUuid(wire: Buffer): string {
  const hex = Buffer.concat([wire.subarray(8, 16), wire.subarray(0, 8)]).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Serializes one ClientMessage exactly as the plugin does (HL 116, payload ≥ 1 byte). */
export function encodeClientMessage(input: EncodeInput): Buffer {
  if (input.payload.length === 0) throw new Error('ClientMessage payload must not be empty')
  if (input.messageType.length > Header.typeLength) throw new Error('MessageType longer than 32 bytes')
  const out = Buffer.alloc(Header.payloadOffset + input.payload.length)
  out.writeUInt32BE(Header.length, 0)
  out.fill(0x20, Header.typeOffset, Header.typeOffset + Header.typeLength)
  out.write(input.messageType, Header.typeOffset, 'ascii')
  out.writeUInt32BE(1, Header.schemaVersionOffset)
  out.writeBigUInt64BE(BigInt(input.createdDate ?? Date.now()), Header.createdDateOffset)
  out.writeBigInt64BE(BigInt(input.sequenceNumber), Header.sequenceOffset)
  out.writeBigUInt64BE(BigInt(input.flags), Header.flagsOffset)
  uuidToWire(input.messageId ?? randomUUID()).copy(out, Header.messageIdOffset)
  createHash('sha256').update(input.payload).digest().copy(out, Header.digestOffset)
  out.writeUInt32BE(input.payloadType, Header.payloadTypeOffset)
  out.writeUInt32BE(input.payload.length, Header.length)
  input.payload.copy(out, Header.payloadOffset)
  return out
}

const LENIENT_TYPES: ReadonlySet<string> = new Set([
  MessageType.StartPublication,
  MessageType.PausePublication,
])

/**
 * Parses one ClientMessage the way the official decoder does (docs/protocol.md §3.2): the payload starts at
 * HeaderLength + 4, PayloadType exists only when HeaderLength ≥ 116, start/pause_publication skip
 * validation, everything else needs a type, a creation date and a matching digest.
 */
export function decodeClientMessage(buf: Buffer): DecodeResult {
  if (buf.length < Header.minLength + 4) return { ok: false, error: `frame too short (${buf.length} bytes)` }
  const headerLength = buf.readUInt32BE(0)
  const messageType = buf
    .subarray(Header.typeOffset, Header.typeOffset + Header.typeLength)
    .toString('latin1')
    .replace(/^\0+|\0+$/g, '')
    .trim()
  const lenient = LENIENT_TYPES.has(messageType)
  if (!lenient && (headerLength < Header.minLength || headerLength + 4 > buf.length))
    return { ok: false, error: `bad HeaderLength ${headerLength} for a ${buf.length}-byte frame` }
  const payloadStart = Math.min(buf.length, Math.max(headerLength, Header.minLength) + 4)
  const payload = Buffer.from(buf.subarray(payloadStart))
  const payloadLength =
    headerLength >= Header.minLength && headerLength + 4 <= buf.length ? buf.readUInt32BE(headerLength) : 0
  const message: ClientMessage = {
    headerLength,
    messageType,
    schemaVersion: buf.readUInt32BE(Header.schemaVersionOffset),
    createdDate: Number(buf.readBigUInt64BE(Header.createdDateOffset)),
    sequenceNumber: Number(buf.readBigInt64BE(Header.sequenceOffset)),
    flags: Number(buf.readBigUInt64BE(Header.flagsOffset)),
    messageId: wireToUuid(buf.subarray(Header.messageIdOffset, Header.messageIdOffset + 16)),
    payloadType: headerLength >= Header.length ? buf.readUInt32BE(Header.payloadTypeOffset) : 0,
    payloadLength,
    payload,
    digestOk: true,
  }
  if (lenient) return { ok: true, message }
  if (!messageType) return { ok: false, error: 'empty MessageType' }
  if (message.createdDate === 0) return { ok: false, error: `${messageType} without CreatedDate` }
  const digest = buf.subarray(Header.digestOffset, Header.digestOffset + 32)
  message.digestOk = createHash('sha256').update(payload).digest().equals(digest)
  // Like the plugin, only check the digest when a length is announced; HL=112 messages carry a
  // wrong length but a correct hash (docs/protocol.md §3.2), so the digest is what we trust.
  if (payloadLength !== 0 && !message.digestOk) return { ok: false, error: `${messageType} digest mismatch` }
  return { ok: true, message }
}

/** The acknowledge payload (docs/protocol.md §4.3), field order as Go marshals it. */
export function ackPayload(
  acked: Pick<ClientMessage, 'messageType' | 'messageId' | 'sequenceNumber'>,
): Buffer {
  return Buffer.from(
    JSON.stringify({
      AcknowledgedMessageType: acked.messageType,
      AcknowledgedMessageId: acked.messageId,
      AcknowledgedMessageSequenceNumber: acked.sequenceNumber,
      IsSequentialMessage: true,
    }),
  )
}

/** Encodes the acknowledge message for `acked`: seq 0, flags SYN|FIN, PayloadType 0 (docs/protocol.md §4.1). */
export function encodeAck(
  acked: Pick<ClientMessage, 'messageType' | 'messageId' | 'sequenceNumber'>,
): Buffer {
  return encodeClientMessage({
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    flags: MessageFlag.SYN | MessageFlag.FIN,
    payloadType: 0,
    payload: ackPayload(acked),
  })
}

/** A Flag payload: 4-byte big-endian uint32. */
export function flagPayload(flag: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(flag, 0)
  return b
}

/** Reads a Flag payload; null when it is not 4 bytes. */
export function readFlag(payload: Buffer): number | null {
  return payload.length === 4 ? payload.readUInt32BE(0) : null
}
