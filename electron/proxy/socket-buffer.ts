// Buffers what a socket sends during a handshake so sans-I/O parsers can take whole packets, then
// hands the socket (and any bytes already read past the handshake) over to the relay.
import type { Duplex } from 'node:stream'

/** What a parser makes of the buffered bytes: nothing yet, a value using `size` bytes, or an error. */
export type Take<T> = { value: T; size: number } | null | Error

/** Handshake-time reader over a socket; call `detach()` before relaying. */
export class SocketBuffer {
  private buf: Buffer = Buffer.alloc(0)
  private wake: (() => void) | undefined
  private ended: Error | undefined
  private readonly onData = (chunk: Buffer): void => {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    if (this.buf.length > this.limit) this.ended = new Error('handshake data exceeds the buffer limit')
    this.wake?.()
  }
  private readonly onEnd = (): void => {
    this.ended ??= new Error('the peer closed the connection')
    this.wake?.()
  }
  private readonly onError = (err: Error): void => {
    this.ended ??= err
    this.wake?.()
  }

  constructor(
    private readonly socket: Duplex,
    /** Upper bound on buffered bytes; a peer sending more is cut off. */
    private readonly limit = 1 << 20,
  ) {
    socket.on('data', this.onData)
    socket.on('end', this.onEnd)
    socket.on('close', this.onEnd)
    socket.on('error', this.onError)
  }

  /** Bytes buffered but not yet taken. */
  get buffered(): number {
    return this.buf.length
  }

  /** Waits until `parse` yields a value (consuming its bytes) or fails. */
  async take<T>(parse: (buf: Buffer) => Take<T>): Promise<T> {
    for (;;) {
      const got = parse(this.buf)
      if (got instanceof Error) throw got
      if (got) {
        this.buf = this.buf.subarray(got.size)
        return got.value
      }
      if (this.ended) throw this.ended
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
      this.wake = undefined
    }
  }

  /**
   * Stops reading and returns the bytes read past what was taken. The socket is paused so nothing
   * is lost before the relay pipes it; pass false when TLS takes the socket over next.
   */
  detach(pause = true): Buffer {
    if (pause) this.socket.pause()
    this.socket.off('data', this.onData)
    this.socket.off('end', this.onEnd)
    this.socket.off('close', this.onEnd)
    this.socket.off('error', this.onError)
    const rest = this.buf
    this.buf = Buffer.alloc(0)
    return rest
  }
}
