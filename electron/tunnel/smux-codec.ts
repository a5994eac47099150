// Sans-I/O smux v1 frame codec (docs/protocol.md §6.2, xtaci/smux frame.go): 8-byte little-endian header
// (ver, cmd, length u16, sid u32) then `length` data bytes. The parser accepts arbitrary chunk
// boundaries because SSM message boundaries are unrelated to smux frame boundaries.

/** smux commands. UPD (4) exists only in v2 and is never sent. */
export const SmuxCmd = { SYN: 0, FIN: 1, PSH: 2, NOP: 3, UPD: 4 } as const

export const SMUX_VERSION = 1
export const SMUX_HEADER_SIZE = 8
/** The Go writer's MaxFrameSize; receivers accept up to 65535. */
export const SMUX_MAX_FRAME = 32768

/** One parsed smux frame. */
export interface SmuxFrame {
  cmd: number
  sid: number
  data: Buffer
}

/** Serializes one frame; SYN/FIN/NOP always carry length 0. */
export function encodeSmuxFrame(cmd: number, sid: number, data: Buffer = Buffer.alloc(0)): Buffer {
  if (data.length > 0xffff) throw new Error('smux frame data longer than 65535')
  const out = Buffer.alloc(SMUX_HEADER_SIZE + data.length)
  out.writeUInt8(SMUX_VERSION, 0)
  out.writeUInt8(cmd, 1)
  out.writeUInt16LE(data.length, 2)
  out.writeUInt32LE(sid, 4)
  data.copy(out, SMUX_HEADER_SIZE)
  return out
}

/** PSH frames for `data`, split at MaxFrameSize like the Go writer. Empty data gives no frames. */
export function encodePsh(sid: number, data: Buffer, maxFrame = SMUX_MAX_FRAME): Buffer[] {
  const frames: Buffer[] = []
  for (let off = 0; off < data.length; off += maxFrame)
    frames.push(encodeSmuxFrame(SmuxCmd.PSH, sid, data.subarray(off, off + maxFrame)))
  return frames
}

/** SYN opening stream `sid`. */
export const encodeSyn = (sid: number): Buffer => encodeSmuxFrame(SmuxCmd.SYN, sid)
/** FIN closing stream `sid`. */
export const encodeFin = (sid: number): Buffer => encodeSmuxFrame(SmuxCmd.FIN, sid)
/** NOP keepalive (sid 0). */
export const encodeNop = (): Buffer => encodeSmuxFrame(SmuxCmd.NOP, 0)

/**
 * Incremental frame parser. `push` returns the complete frames so far; a wrong version or an
 * unknown command is a protocol error (the Go peer kills its session too), after which the
 * parser refuses more input.
 */
export class SmuxParser {
  private pending: Buffer = Buffer.alloc(0)
  private failed: string | null = null

  /** Feeds bytes; returns frames completed by them, or the protocol error. */
  push(chunk: Buffer): { frames: SmuxFrame[]; error?: string } {
    if (this.failed) return { frames: [], error: this.failed }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk
    const frames: SmuxFrame[] = []
    let off = 0
    while (this.pending.length - off >= SMUX_HEADER_SIZE) {
      const ver = this.pending.readUInt8(off)
      const cmd = this.pending.readUInt8(off + 1)
      if (ver !== SMUX_VERSION || cmd > SmuxCmd.UPD) {
        this.failed = `smux protocol error: version ${ver}, cmd ${cmd}`
        this.pending = Buffer.alloc(0)
        return { frames, error: this.failed }
      }
      const length = this.pending.readUInt16LE(off + 2)
      const sid = this.pending.readUInt32LE(off + 4)
      // Only PSH (and v2 UPD, fixed 8 bytes) carry data; SYN/FIN/NOP consume none (recvLoop).
      const dataLen = cmd === SmuxCmd.PSH ? length : cmd === SmuxCmd.UPD ? 8 : 0
      if (this.pending.length - off - SMUX_HEADER_SIZE < dataLen) break
      const start = off + SMUX_HEADER_SIZE
      frames.push({ cmd, sid, data: Buffer.from(this.pending.subarray(start, start + dataLen)) })
      off = start + dataLen
    }
    this.pending = off === 0 ? this.pending : Buffer.from(this.pending.subarray(off))
    return { frames }
  }
}
