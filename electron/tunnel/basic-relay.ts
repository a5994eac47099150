// Basic mode (agents ≤ 3.0.196.0, docs/protocol.md §6.3): raw TCP bytes in Output payloads, one local
// connection at a time. Others wait in line; when the current one closes we send DisconnectToPort
// so the agent drops its destination connection and re-dials on the next data.
import type { Socket } from 'node:net'
import type { Logger } from '../base/logger'
import { silentLogger } from '../base/logger'
import type { Relay, RelayChannel, RelayEvents } from './relay'
import { PortFlag } from './ssm-message-codec'

/** The single-connection relay of basic mode. */
export class BasicRelay implements Relay {
  private current: Socket | null = null
  private readonly waiting: Socket[] = []
  private readonly log: Logger
  private paused = false

  constructor(
    private readonly channel: RelayChannel,
    private readonly events: RelayEvents = {},
    logger?: Logger,
  ) {
    this.log = logger ?? silentLogger
  }

  /** 1 while a connection is relayed (waiting ones are counted too). */
  get openStreams(): number {
    return (this.current ? 1 : 0) + this.waiting.length
  }

  /** Output before the first connection stays unacked so the agent resends it (docs/protocol.md §6.3). */
  acceptOutput(): boolean {
    return this.current !== null
  }

  /** Relays `socket` now, or queues it behind the current connection. */
  addSocket(socket: Socket): void {
    const gone = () => this.detach(socket)
    socket.on('end', gone)
    socket.on('close', gone)
    socket.on('error', gone)
    if (this.current) {
      this.log.info(
        'basic mode (old SSM agent) carries one connection at a time; this one waits for the current one to close',
      )
      socket.pause()
      this.waiting.push(socket)
    } else this.attach(socket)
    this.events.streamsChanged?.()
  }

  /** Writes agent bytes to the current connection. */
  receive(data: Buffer): void {
    if (!this.current || this.current.destroyed) return
    this.events.bytesIn?.(data.length)
    this.current.write(data)
  }

  /** Resumes reading after backpressure. */
  onDrain(): void {
    this.paused = false
    this.current?.resume()
  }

  /** Destroys the current and waiting sockets. */
  close(): void {
    const all = [this.current, ...this.waiting].filter((s): s is Socket => s !== null)
    this.current = null
    this.waiting.length = 0
    for (const s of all) s.destroy()
  }

  private attach(socket: Socket): void {
    this.current = socket
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => {
      if (this.current !== socket) return
      this.events.bytesOut?.(chunk.length)
      if (!this.channel.write(chunk)) {
        this.paused = true
        socket.pause()
      }
    })
    if (!this.paused) socket.resume()
  }

  private detach(socket: Socket): void {
    socket.destroy()
    if (this.current !== socket) {
      const i = this.waiting.indexOf(socket)
      if (i >= 0) this.waiting.splice(i, 1)
      this.events.streamsChanged?.()
      return
    }
    this.current = null
    void this.channel.sendFlag(PortFlag.DisconnectToPort)
    const next = this.waiting.shift()
    if (next) this.attach(next)
    this.events.streamsChanged?.()
  }
}
