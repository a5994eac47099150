// Awaitable frame reading over a socket for a gate's handshake phase (PostgreSQL and MySQL): bytes
// go into the protocol's frame buffer and `read(parse)` resolves once `parse` can cut a whole frame.
// `detach()` hands the socket back (paused, listeners removed) together with any bytes already read,
// for a TLS upgrade or a raw splice.
import type { Socket } from 'node:net'
import { PgFrameReader } from './pg-wire'

/** Raised by `read` when the peer closed (or errored) before a whole frame arrived. */
export class PeerClosedError extends Error {}

/** What a protocol's frame buffer offers the reader. */
export interface FrameBuffer {
  push(chunk: Buffer): void
  readonly buffered: number
  drain(): Buffer
}

/** Reads frames of one protocol from a socket, one await at a time. */
export class FramedSocketReader<B extends FrameBuffer> {
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

  /** Starts consuming `socket`'s data events into `frames`. */
  constructor(
    private readonly socket: Socket,
    protected readonly frames: B,
    private readonly phase = 'the handshake',
  ) {
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
  async read<T>(parse: (frames: B) => T | null): Promise<T> {
    for (;;) {
      const value = parse(this.frames)
      if (value !== null) return value
      if (this.closed) throw new PeerClosedError(`peer closed during ${this.phase}`)
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

/** Reads PostgreSQL frames from a socket. */
export class SocketReader extends FramedSocketReader<PgFrameReader> {
  constructor(socket: Socket) {
    super(socket, new PgFrameReader())
  }
}
