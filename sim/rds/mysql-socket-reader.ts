// Awaitable packet reading for the MySQL gate's connection phase, on both the client and the
// upstream socket. `detach()` hands the socket back (paused) with the bytes already read, for a TLS
// upgrade or the raw splice.
import type { Socket } from 'node:net'
import { type MySqlPacket, MySqlPacketReader } from './mysql-wire'

/** Raised by `next` when the peer closed (or errored) before a whole packet arrived. */
export class MySqlPeerClosedError extends Error {}

/** Reads MySQL packets from a socket, one await at a time. */
export class MySqlSocketReader {
  private readonly packets = new MySqlPacketReader()
  private wake: (() => void) | undefined
  private closed = false
  private readonly onData = (chunk: Buffer): void => {
    this.packets.push(chunk)
    this.notify()
  }
  private readonly onEnd = (): void => {
    this.closed = true
    this.notify()
  }

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData)
    socket.on('end', this.onEnd)
    socket.on('close', this.onEnd)
    socket.on('error', this.onEnd)
    socket.resume()
  }

  private notify(): void {
    const w = this.wake
    this.wake = undefined
    w?.()
  }

  /** Bytes received but not consumed yet. */
  get buffered(): number {
    return this.packets.buffered
  }

  /** The next whole packet; rejects MySqlPeerClosedError, or on an oversized packet. */
  async next(): Promise<MySqlPacket> {
    for (;;) {
      const p = this.packets.next()
      if (p) return p
      if (this.closed) throw new MySqlPeerClosedError('peer closed during the connection phase')
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
    }
  }

  /** Stops reading: pauses the socket, removes listeners, returns unconsumed bytes. */
  detach(): Buffer {
    this.socket.pause()
    this.socket.off('data', this.onData)
    this.socket.off('end', this.onEnd)
    this.socket.off('close', this.onEnd)
    this.socket.off('error', this.onEnd)
    return this.packets.drain()
  }
}
