// The simulator's own smux v1 frame codec (docs/protocol.md §6.2): 8-byte little-endian header
// (ver, cmd, length u16, sid u32) followed by `length` data bytes for PSH. Sans-I/O.

/** smux commands. UPD exists only in v2 but its frame is still parsed. */
export enum SmuxCmd {
  Syn = 0,
  Fin = 1,
  Psh = 2,
  Nop = 3,
  Upd = 4,
}

/** One decoded frame. */
export interface SmuxFrame {
  cmd: SmuxCmd
  sid: number
  data: Buffer
}

/** Largest data the Go writer puts into one frame. */
export const SMUX_MAX_FRAME = 32768

/** Serializes one v1 frame. SYN/FIN/NOP always carry length 0. */
export function smuxFrame(cmd: SmuxCmd, sid: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(8)
  h.writeUInt8(1, 0)
  h.writeUInt8(cmd, 1)
  h.writeUInt16LE(data.length, 2)
  h.writeUInt32LE(sid, 4)
  return data.length ? Buffer.concat([h, data]) : h
}

/** Incremental parser over the reassembled byte stream; throws on a protocol error. */
export class SmuxParser {
  private buf: Buffer = Buffer.alloc(0)

  /** Appends bytes and returns every complete frame. */
  push(bytes: Buffer): SmuxFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, bytes]) : bytes
    const frames: SmuxFrame[] = []
    while (this.buf.length >= 8) {
      const ver = this.buf[0]
      const cmd = this.buf[1] as number
      if (ver !== 1) throw new Error(`smux: invalid protocol version ${ver}`)
      if (cmd > SmuxCmd.Upd) throw new Error(`smux: invalid command ${cmd}`)
      // Like xtaci/smux recvLoop: only PSH and UPD consume the data bytes.
      const len = cmd === SmuxCmd.Psh || cmd === SmuxCmd.Upd ? this.buf.readUInt16LE(2) : 0
      if (this.buf.length < 8 + len) break
      frames.push({ cmd, sid: this.buf.readUInt32LE(4), data: Buffer.from(this.buf.subarray(8, 8 + len)) })
      this.buf = this.buf.subarray(8 + len)
    }
    return frames
  }
}
