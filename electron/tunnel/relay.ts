// The contract between a session and what carries local TCP sockets over its Output payloads:
// smux streams (mux mode) or the raw single-connection relay (basic mode).
import type { Socket } from 'node:net'

/** What a relay needs from the data channel. */
export interface RelayChannel {
  /** Queues Output bytes; false asks the caller to stop reading local sockets until drain. */
  write(data: Buffer): boolean
  sendFlag(flag: number): Promise<void>
}

/** Callbacks from a relay up to its tunnel. */
export interface RelayEvents {
  bytesIn?(n: number): void
  bytesOut?(n: number): void
  streamsChanged?(): void
}

/** A mode-specific carrier of local connections. */
export interface Relay {
  readonly openStreams: number
  /** Bytes from the agent written to local sockets but not yet flushed to them (slow readers). */
  readonly localBacklog?: number
  /** Takes ownership of an accepted local socket. */
  addSocket(socket: Socket): void
  /** In-order Output payload bytes from the agent. */
  receive(data: Buffer): void
  /** Basic mode: whether Output may be acked now (a local connection exists). */
  acceptOutput(): boolean
  /** The channel has room again. */
  onDrain(): void
  /** Destroys every local socket and stops timers. */
  close(): void
}
