// smux v1 client over the data channel (docs/protocol.md §6.2): each accepted local socket becomes a stream
// with an odd id from 3. There is no half-close, as the agent expects: a local end sends FIN and
// destroys the socket; a remote FIN flushes what arrived, ends the socket and answers FIN.
import type { Socket } from 'node:net'
import type { Logger } from '../base/logger'
import { silentLogger } from '../base/logger'
import type { Relay, RelayChannel, RelayEvents } from './relay'
import { encodeFin, encodeNop, encodePsh, encodeSyn, SmuxCmd, SmuxParser } from './smux-codec'

export interface SmuxSessionOptions {
  /** Send NOP every `keepaliveMs` (agents ≤ 3.1.1511.0 kill a silent session after 30 s). */
  keepalive: boolean
  keepaliveMs?: number
  logger?: Logger
  events?: RelayEvents
  /** The agent's byte stream broke the smux framing; the session cannot continue. */
  onProtocolError?(message: string): void
}

/** The client half of an smux v1 session carried in Output payloads. */
export class SmuxSession implements Relay {
  private nextId = 1
  private readonly streams = new Map<number, Socket>()
  private readonly parser = new SmuxParser()
  private readonly log: Logger
  private readonly events: RelayEvents
  private paused = false
  private keepaliveTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly channel: RelayChannel,
    private readonly options: SmuxSessionOptions,
  ) {
    this.log = options.logger ?? silentLogger
    this.events = options.events ?? {}
    if (options.keepalive) {
      this.keepaliveTimer = setInterval(() => this.channel.write(encodeNop()), options.keepaliveMs ?? 10_000)
      this.keepaliveTimer.unref()
    }
  }

  /** Local connections currently mapped to streams. */
  get openStreams(): number {
    return this.streams.size
  }

  /** Inbound bytes waiting in local sockets' write buffers. */
  get localBacklog(): number {
    let n = 0
    for (const s of this.streams.values()) n += s.writableLength
    return n
  }

  /** Mux mode always accepts Output. */
  acceptOutput(): boolean {
    return true
  }

  /** Opens a stream (SYN) for a local socket and relays it. */
  addSocket(socket: Socket): void {
    this.nextId += 2 // the Go client adds 2 before each use: 3, 5, 7, ...
    const sid = this.nextId
    this.streams.set(sid, socket)
    this.write(encodeSyn(sid))
    this.events.streamsChanged?.()
    socket.setNoDelay(true)
    if (this.paused) socket.pause()
    socket.on('data', (chunk: Buffer) => {
      this.events.bytesOut?.(chunk.length)
      for (const frame of encodePsh(sid, chunk)) this.write(frame)
    })
    const done = () => this.closeLocal(sid, socket)
    socket.on('end', done)
    socket.on('close', done)
    socket.on('error', (err) => {
      this.log.debug(`stream ${sid} local socket error: ${err.message}`)
      done()
    })
  }

  /** Feeds in-order Output bytes (any chunking) from the agent. */
  receive(data: Buffer): void {
    const { frames, error } = this.parser.push(data)
    for (const f of frames) {
      const socket = this.streams.get(f.sid)
      if (f.cmd === SmuxCmd.PSH) {
        if (socket && !socket.destroyed && f.data.length > 0) {
          this.events.bytesIn?.(f.data.length)
          socket.write(f.data)
        }
      } else if (f.cmd === SmuxCmd.FIN) {
        if (!socket) continue // our own close crossing theirs
        this.streams.delete(f.sid)
        this.write(encodeFin(f.sid))
        this.events.streamsChanged?.()
        socket.end(() => socket.destroy())
      }
      // NOP needs nothing; SYN from the agent and UPD never happen in v1 and are ignored.
    }
    if (error) {
      this.log.error(`smux: ${error}`)
      this.options.onProtocolError?.(error)
      this.close()
    }
  }

  /** Resumes reading local sockets after backpressure. */
  onDrain(): void {
    if (!this.paused) return
    this.paused = false
    for (const s of this.streams.values()) s.resume()
  }

  /** Destroys every stream's socket (session over). */
  close(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer)
    this.keepaliveTimer = null
    const sockets = [...this.streams.values()]
    this.streams.clear()
    for (const s of sockets) s.destroy()
    if (sockets.length) this.events.streamsChanged?.()
  }

  private closeLocal(sid: number, socket: Socket): void {
    if (this.streams.get(sid) !== socket) return
    this.streams.delete(sid)
    this.write(encodeFin(sid))
    socket.destroy()
    this.events.streamsChanged?.()
  }

  private write(frame: Buffer): void {
    if (this.channel.write(frame) || this.paused) return
    // The unacked window is full: stop reading every local socket until the channel drains.
    this.paused = true
    for (const s of this.streams.values()) s.pause()
  }
}
