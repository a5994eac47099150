// The rows of one result set as the engine received them (raw server text), kept so an export can
// write exactly what the grid was given without running SQL again. The first rows stay in memory;
// past a budget they are appended to a private spill file (0600 in a 0700 folder), so a 1M-row
// result paged through the grid does not grow the process. Rows are read back in order: `next()`
// serves rows the renderer has not seen yet (an export may have read ahead), `each()` all of them.
import { randomBytes } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { mkdir, open, rm } from 'node:fs/promises'
import { join } from 'node:path'

export type RawRow = (string | null)[]

/** Rows held in memory per result before the rest goes to the spill file. */
const MEMORY_BUDGET_BYTES = 2 * 1024 * 1024

const sizeOf = (row: RawRow): number => row.reduce((n, v) => n + (v === null ? 4 : v.length + 4), 16)

export class HeldResult {
  private readonly head: RawRow[] = []
  private headBytes = 0
  private spill: { handle: FileHandle; path: string; bytes: number; rows: number } | null = null
  private spillReadAt = 0
  private writes: Promise<unknown> = Promise.resolve()
  /** Rows handed to the renderer so far (a prefix of the held rows). */
  served = 0

  constructor(private readonly spillDir: string) {}

  /** Rows held in total. */
  get count(): number {
    return this.head.length + (this.spill?.rows ?? 0)
  }

  /** Appends rows in order (memory first, then the spill file). */
  async append(rows: RawRow[]): Promise<void> {
    let i = 0
    if (!this.spill) {
      for (; i < rows.length && this.headBytes < MEMORY_BUDGET_BYTES; i++) {
        this.head.push(rows[i]!)
        this.headBytes += sizeOf(rows[i]!)
      }
    }
    if (i === rows.length) return
    const rest = rows.slice(i)
    if (!this.spill) this.spill = await this.openSpill()
    const spill = this.spill
    const text = rest.map((r) => `${JSON.stringify(r)}\n`).join('')
    const buf = Buffer.from(text, 'utf8')
    spill.rows += rest.length
    const at = spill.bytes
    spill.bytes += buf.length
    this.writes = this.writes.then(() => spill.handle.write(buf, 0, buf.length, at))
    await this.writes
  }

  /** The next `count` rows the renderer has not been given; advances `served`. */
  async next(count: number): Promise<RawRow[]> {
    const out: RawRow[] = []
    while (out.length < count && this.served < this.head.length) out.push(this.head[this.served++]!)
    if (out.length < count && this.spill && this.served < this.count) {
      const lines = await this.readSpill(this.spillReadAt, count - out.length)
      for (const { row, end } of lines) {
        out.push(row)
        this.spillReadAt = end
        this.served++
      }
    }
    return out
  }

  /** Calls `onRows` with every held row in order, in batches. */
  async each(onRows: (rows: RawRow[]) => Promise<void>): Promise<void> {
    for (let i = 0; i < this.head.length; i += 1000) await onRows(this.head.slice(i, i + 1000))
    let at = 0
    for (;;) {
      const lines = this.spill ? await this.readSpill(at, 1000) : []
      if (!lines.length) return
      at = lines.at(-1)!.end
      await onRows(lines.map((l) => l.row))
    }
  }

  /** Deletes the spill file. */
  async dispose(): Promise<void> {
    const spill = this.spill
    this.spill = null
    if (!spill) return
    await this.writes.catch(() => undefined)
    await spill.handle.close().catch(() => undefined)
    await rm(spill.path, { force: true })
  }

  private async openSpill() {
    await mkdir(this.spillDir, { recursive: true, mode: 0o700 })
    const path = join(this.spillDir, `result-${randomBytes(8).toString('hex')}.ndjson`)
    const handle = await open(path, 'wx+', 0o600)
    return { handle, path, bytes: 0, rows: 0 }
  }

  /** Reads up to `max` whole lines starting at byte `from`. */
  private async readSpill(from: number, max: number): Promise<Array<{ row: RawRow; end: number }>> {
    const spill = this.spill
    if (!spill) return []
    await this.writes
    const out: Array<{ row: RawRow; end: number }> = []
    let at = from
    let carry = Buffer.alloc(0)
    while (out.length < max && at < spill.bytes) {
      const size = Math.min(256 * 1024, spill.bytes - at)
      const chunk = Buffer.alloc(size)
      const { bytesRead } = await spill.handle.read(chunk, 0, size, at)
      if (!bytesRead) break
      const buf = Buffer.concat([carry, chunk.subarray(0, bytesRead)])
      const base = at - carry.length
      at += bytesRead
      let start = 0
      for (let nl = buf.indexOf(10, start); nl !== -1 && out.length < max; nl = buf.indexOf(10, start)) {
        out.push({ row: JSON.parse(buf.toString('utf8', start, nl)) as RawRow, end: base + nl + 1 })
        start = nl + 1
      }
      if (out.length >= max) break
      carry = buf.subarray(start)
    }
    return out
  }
}
