// The local audit log: one JSON line per tunnel session and per proxy client (when, target, AWS
// principal, SSM session ids, application_name, bytes, how it ended). Appends are serialized;
// the file rotates by size (audit.jsonl → audit.1.jsonl → …). Entries are built from fixed fields
// only, so no token, key or secret can end up here.
import { appendFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

export interface AuditEntry {
  kind: 'tunnel-session' | 'proxy-client'
  /** ISO time the session or client started. */
  startedAt: string
  /** ISO time it ended. */
  endedAt: string
  targetId: string
  targetName: string
  /** AWS principal ARN from STS GetCallerIdentity; null when it could not be learned. */
  principalArn: string | null
  sessionIds: string[]
  /** Proxy clients only. */
  applicationName?: string
  user?: string
  database?: string
  transport?: 'tcp' | 'unix'
  bytesIn: number
  bytesOut: number
  /** How it ended: client closed, idle timeout, refused: 28P01 …, proxy stopped, … */
  ended: string
}

export interface AuditLogOptions {
  dir: string
  /** Rotate when the current file would pass this size (default 5 MB). */
  maxBytes?: number
  /** Rotated files kept besides the current one (default 3). */
  keep?: number
}

const FILE = 'audit.jsonl'

/** Appends and reads audit entries in `dir`. */
export class AuditLog {
  private chain: Promise<void> = Promise.resolve()
  private readonly maxBytes: number
  private readonly keep: number

  constructor(private readonly options: AuditLogOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024
    this.keep = options.keep ?? 3
  }

  get path(): string {
    return join(this.options.dir, FILE)
  }

  private rotated(n: number): string {
    return join(this.options.dir, `audit.${n}.jsonl`)
  }

  /** Appends one entry (after earlier appends); failures are reported, never thrown at the caller. */
  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`
    this.chain = this.chain.then(async () => {
      await mkdir(this.options.dir, { recursive: true, mode: 0o700 })
      const size = await stat(this.path).then(
        (s) => s.size,
        () => 0,
      )
      if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes) await this.rotate()
      await appendFile(this.path, line, { mode: 0o600 })
    })
    const done = this.chain
    this.chain = this.chain.catch(() => {})
    return done
  }

  private async rotate(): Promise<void> {
    await rm(this.rotated(this.keep), { force: true })
    for (let n = this.keep - 1; n >= 1; n--)
      await rename(this.rotated(n), this.rotated(n + 1)).catch(() => {})
    await rename(this.path, this.rotated(1))
  }

  /** Newest entries first, across the current and rotated files, at most `limit`. */
  async list(limit = 200): Promise<AuditEntry[]> {
    await this.chain
    const out: AuditEntry[] = []
    for (const file of [this.path, ...Array.from({ length: this.keep }, (_, i) => this.rotated(i + 1))]) {
      const text = await readFile(file, 'utf8').catch(() => '')
      const lines = text.split('\n').filter(Boolean).reverse()
      for (const line of lines) {
        try {
          out.push(JSON.parse(line) as AuditEntry)
        } catch {
          // a torn last line (crash mid-append) is skipped, not fatal
        }
        if (out.length >= limit) return out
      }
    }
    return out
  }
}
