// The agent's smux v1 server over the reassembled input byte stream (docs/protocol.md §6.2): one destination
// connection per client stream, ConnectToPortError + FIN when the dial fails, no half-close, and
// the old-client keepalive that kills an idle mux session.
import type { Socket } from 'node:net'
import { FlagValue } from './codec'
import { dialDestination, writeToDestination } from './dial'
import { SMUX_MAX_FRAME, SmuxCmd, SmuxParser, smuxFrame } from './smux-frames'
import type { AgentFaults, RelayContext } from './types'

/** One smux server session relaying streams to the destination. */
export class MuxServer {
  private readonly parser = new SmuxParser()
  private readonly streams = new Map<number, Socket | null>()
  private readonly timers: NodeJS.Timeout[] = []
  private frameSeen = false
  private dead = false

  constructor(
    private readonly ctx: RelayContext,
    keepalive: boolean,
    faults: AgentFaults,
  ) {
    if (keepalive) {
      // xtaci/smux keepalive: NOP every interval; no frame within a timeout tick closes the session.
      const nop = setInterval(() => this.ctx.sendBytes(smuxFrame(SmuxCmd.Nop, 0)), faults.keepaliveIntervalMs)
      const check = setInterval(() => {
        if (!this.frameSeen) this.die('smux keepalive timeout')
        this.frameSeen = false
      }, faults.keepaliveTimeoutMs)
      this.timers.push(nop, check)
    }
  }

  /** Feeds in-order Output payload bytes from the client. */
  onData(bytes: Buffer): void {
    if (this.dead) return
    let frames: ReturnType<SmuxParser['push']>
    try {
      frames = this.parser.push(bytes)
    } catch (err) {
      this.die((err as Error).message)
      return
    }
    for (const f of frames) {
      this.frameSeen = true
      if (f.cmd === SmuxCmd.Syn) this.open(f.sid)
      else if (f.cmd === SmuxCmd.Psh) {
        const s = this.streams.get(f.sid)
        if (s && f.data.length) writeToDestination(this.ctx, s, f.data)
      } else if (f.cmd === SmuxCmd.Fin) this.remoteFin(f.sid)
      // NOP and UPD carry nothing for a v1 server; PSH/FIN for unknown sids are discarded.
    }
  }

  /** Closes every destination connection and timer. */
  close(): void {
    this.dead = true
    for (const t of this.timers) clearInterval(t)
    for (const s of this.streams.values()) s?.destroy()
    this.streams.clear()
  }

  private open(sid: number): void {
    if (this.streams.has(sid)) return // SYN for an existing sid is ignored
    this.streams.set(sid, null)
    this.ctx.counters.streamsOpened++
    const sock = dialDestination(this.ctx, {
      onData: (chunk) => {
        for (let off = 0; off < chunk.length; off += SMUX_MAX_FRAME)
          this.ctx.sendBytes(smuxFrame(SmuxCmd.Psh, sid, chunk.subarray(off, off + SMUX_MAX_FRAME)))
      },
      onFail: (reason) => {
        this.ctx.log.info(`stream ${sid}: ${reason}`)
        this.ctx.counters.connectErrors++
        this.streams.delete(sid)
        if (this.dead) return
        this.ctx.sendFlag(FlagValue.ConnectToPortError)
        this.ctx.sendBytes(smuxFrame(SmuxCmd.Fin, sid))
      },
      onClose: () => {
        if (!this.streams.has(sid)) return
        this.streams.delete(sid)
        if (!this.dead) this.ctx.sendBytes(smuxFrame(SmuxCmd.Fin, sid))
      },
    })
    if (sock && this.streams.has(sid)) this.streams.set(sid, sock)
  }

  /** Client FIN: flush what was written, then close the socket; our own FIN follows on close. */
  private remoteFin(sid: number): void {
    const s = this.streams.get(sid)
    if (!s) return
    s.end(() => s.destroy())
  }

  private die(reason: string): void {
    this.ctx.log.warn(`smux session closed: ${reason}`)
    this.close()
    this.ctx.fail(reason)
  }
}
