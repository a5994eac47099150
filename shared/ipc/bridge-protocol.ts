// Wire format of the loopback bridge (electron/bridge/ ↔ renderer/src/api/bridge-transport.ts):
// the same contract as Electron IPC, carried as JSON over one WebSocket at /ipc.
//
// Authentication: the per-run token travels in the URL fragment (never sent to the server by the
// browser, never in access logs) and is offered as a WebSocket subprotocol, so a page without it
// is refused during the HTTP upgrade, before any message is read.
import * as z from 'zod'
import type { CallEnvelope } from './contract'

/** Path of the WebSocket endpoint. */
export const BRIDGE_PATH = '/ipc'
/** The subprotocol the server selects; a client must offer it. */
export const BRIDGE_PROTOCOL = 'porthole.v1'
/** Prefix of the subprotocol carrying the token: `porthole.token.<base64url token>`. */
export const TOKEN_PROTOCOL_PREFIX = 'porthole.token.'
/** Largest message either side accepts (importTargets carries up to 5 MB of JSON). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024
/** WebSocket close code the server uses for a malformed message stream. */
export const CLOSE_PROTOCOL_ERROR = 1008

/** Client → server: call `method` with `arg`; `id` pairs the reply. */
export const callMessageSchema = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().min(1).max(64),
    arg: z.unknown().optional(),
  })
  .strict()
export type CallMessage = z.infer<typeof callMessageSchema>

/** Server → client: the envelope answering call `id`. */
export interface ReplyMessage {
  id: number
  envelope: CallEnvelope
}

/** Server → client: a contract event pushed from the engine's bus. */
export interface EventMessage {
  event: string
  payload: unknown
}

export type ServerMessage = ReplyMessage | EventMessage

/** The subprotocols a client offers for `token`. */
export function bridgeProtocols(token: string): string[] {
  return [BRIDGE_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`]
}

/** Reads the token from a location hash such as `#token=abc`; null when absent. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const token = params.get('token')
  return token && /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : null
}

/**
 * What the Electron preload exposes as `window.portholeTransport` (kept here, beside the bridge's
 * wire format, because both are transports of the same contract and both sides import this file).
 * Errors come back as envelopes, never thrown: contextBridge keeps only `message` of an Error.
 */
export interface PreloadTransport {
  call(method: string, arg: unknown): Promise<CallEnvelope>
  subscribe(event: string, listener: (payload: unknown) => void): () => void
}
