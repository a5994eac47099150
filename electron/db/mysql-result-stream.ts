// Pull-style reading of a streaming mysql2 query with backpressure: rows are queued as they arrive
// and the connection's socket is paused once `highWater` rows wait, so however large the result,
// the engine holds about one page (plus one TCP read). The server then blocks on its send buffer
// until the next page is pulled (net_write_timeout bounds how long; the runner raises it).
import type mysql from 'mysql2'
import { textTypeCast } from './mysql-connect'

export type ResultItem =
  | { kind: 'fields'; fields: mysql.FieldPacket[] }
  | { kind: 'row'; row: unknown[] }
  | { kind: 'ok'; header: mysql.ResultSetHeader }
  | { kind: 'end' }
  | { kind: 'error'; error: unknown }

/** One statement's stream of result sets, rows and OK packets. */
export class MySqlResultStream {
  private readonly queue: ResultItem[] = []
  private rowsQueued = 0
  private paused = false
  private finished = false
  private wake: (() => void) | undefined

  constructor(
    private readonly conn: mysql.PoolConnection,
    sql: string,
    private readonly highWater: number,
  ) {
    const q = conn.query({ sql, rowsAsArray: true, typeCast: textTypeCast })
    q.on('fields', (fields?: mysql.FieldPacket[]) => {
      if (fields) this.push({ kind: 'fields', fields })
    })
    q.on('result', (r: unknown) => {
      if (Array.isArray(r)) {
        this.push({ kind: 'row', row: r })
        this.rowsQueued++
        if (this.rowsQueued >= this.highWater && !this.paused) {
          this.paused = true
          conn.pause()
        }
      } else this.push({ kind: 'ok', header: r as mysql.ResultSetHeader })
    })
    q.on('error', (error: unknown) => this.push({ kind: 'error', error }))
    q.on('end', () => this.push({ kind: 'end' }))
  }

  /** True once the statement completed (or failed) on the wire: the connection is free again. */
  get done(): boolean {
    return this.finished
  }

  private push(item: ResultItem): void {
    if (this.finished) return
    if (item.kind === 'end' || item.kind === 'error') this.finished = true
    this.queue.push(item)
    const w = this.wake
    this.wake = undefined
    w?.()
  }

  /** The next item without consuming it. */
  async peek(): Promise<ResultItem> {
    while (this.queue.length === 0) {
      if (this.paused) this.resume()
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
    }
    return this.queue[0] as ResultItem
  }

  /** Consumes the next item; terminal items ('end', 'error') stay in place. */
  async next(): Promise<ResultItem> {
    const item = await this.peek()
    if (item.kind === 'end' || item.kind === 'error') return item
    this.queue.shift()
    if (item.kind === 'row') {
      this.rowsQueued--
      if (this.paused && this.rowsQueued < this.highWater / 2) this.resume()
    }
    return item
  }

  private resume(): void {
    this.paused = false
    this.conn.resume()
  }

  /** Reads and drops everything up to the end of the statement (later result sets included). */
  async drain(): Promise<void> {
    for (;;) {
      const item = await this.next()
      if (item.kind === 'end' || item.kind === 'error') return
    }
  }

  /** Reads and drops the rest of the current result set (memory stays bounded); counts the rows. */
  async skipRows(): Promise<number> {
    let n = 0
    while ((await this.peek()).kind === 'row') {
      await this.next()
      n++
    }
    return n
  }
}
