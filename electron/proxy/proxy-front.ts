// The seam between the engine-agnostic listener and one database protocol. PostgreSQL is
// pg-front.ts; a MySQL front implements the same interface (its own handshake, local auth,
// upstream login and cancel story) and plugs into the same listener, registry and audit log.
import type net from 'node:net'

export type ProxyTransport = 'tcp' | 'unix'

/** Speaks one database protocol to local clients and relays them upstream. */
export interface ProxyFront {
  readonly engine: 'postgres' | 'mysql'
  /** Serves one accepted connection until it ends. Never throws: failures end the socket. */
  serve(socket: net.Socket, transport: ProxyTransport): Promise<void>
  /** Ends every client session (the proxy is stopping), telling clients why where the protocol can. */
  closeAll(reason: string): void
}
