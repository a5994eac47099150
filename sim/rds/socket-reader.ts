// Awaitable frame reading over a socket for the gate's handshake phase: bytes go into a PgFrameReader
// and `read(parse)` resolves once `parse` can cut a whole frame. `detach()` hands the socket back
// (paused, listeners removed) together with any bytes already read, for a TLS upgrade or a raw splice.
import type { Socket } from 'node:net'
import { PgFrameReader } from './pg-wire'

/** Raised by `read` when the peer closed (or errored) before a whole frame arrived. */
export class PeerClosedError extends Error {}

/** Reads PostgreSQL frames from a socket, one await at a time. */
export class SocketReader {
  private readonly frames = new PgFrameReader()
  private wake: (() => void) | undefined
  private closed = false
  private readonly onData = (chunk: Buffer): void => {
    this.frames.push(chunk)
    this.notify()
  }
  private readonly onEnd = (): void => {
    this.closed = true
    this.notify()
  }

  /** Starts consuming `socket`'s data events. */
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
    return this.frames.buffered
  }

  /** Resolves with the first non-null result of `parse`; rejects PeerClosedError or parse errors. */
  async read<T>(parse: (frames: PgFrameReader) => T | null): Promise<T> {
    for (;;) {
      const value = parse(this.frames)
      if (value !== null) return value
      if (this.closed) throw new PeerClosedError('peer closed during the handshake')
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
    }
  }

  /** Stops reading: pauses the socket, removes this reader's listeners, returns unconsumed bytes. */
  detach(): Buffer {
    this.socket.pause()
    this.socket.off('data', this.onData)
    this.socket.off('end', this.onEnd)
    this.socket.off('close', this.onEnd)
    this.socket.off('error', this.onEnd)
    return this.frames.drain()
  }
}
