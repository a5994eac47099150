// Basic port forwarding (docs/protocol.md §6.3): one raw TCP connection dialed at session start; after a
// DisconnectToPort flag or a destination close it is re-dialed on the next client data.
import type { Socket } from 'node:net'
import { dialDestination, writeToDestination } from './dial'
import type { RelayContext } from './types'

/** Relays raw Output bytes to and from one destination connection. */
export class BasicRelay {
  private sock: Socket | undefined
  private closed = false

  constructor(private readonly ctx: RelayContext) {
    this.dial()
  }

  /** Client bytes: written to the destination, re-dialing first when it is gone. */
  onData(bytes: Buffer): void {
    if (this.closed) return
    if (!this.sock) this.dial()
    if (this.sock) writeToDestination(this.ctx, this.sock, bytes)
  }

  /** DisconnectToPort: close the destination; the next data re-dials. */
  disconnect(): void {
    const s = this.sock
    this.sock = undefined
    s?.destroy()
  }

  /** Ends the relay. */
  close(): void {
    this.closed = true
    this.disconnect()
  }

  private dial(): void {
    const sock = dialDestination(this.ctx, {
      onData: (chunk) => this.ctx.sendBytes(chunk),
      onFail: (reason) => {
        // The real basic session fails when it cannot reach its destination.
        this.ctx.counters.connectErrors++
        if (this.sock === sock) this.sock = undefined
        if (!this.closed) this.ctx.fail(reason)
      },
      onClose: () => {
        // Destination closed: the agent does not tell the client; it re-dials on next data.
        if (this.sock === sock) this.sock = undefined
      },
    })
    if (sock) this.ctx.counters.streamsOpened++
    this.sock = sock
  }
}
