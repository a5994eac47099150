// A server-side cursor on MySQL/MariaDB: COM_STMT_EXECUTE with CURSOR_TYPE_READ_ONLY, then
// COM_STMT_FETCH for each page (the way Connector/J's useCursorFetch pages). Pulling pages matters
// here: through the SSM tunnel's multiplexed session (smux v1 has no per-stream flow control) TCP
// backpressure cannot reach the server, so a streamed result would pile up in this process. mysql2
// has no cursor fetch, so the two commands are driven through its command queue (duck-typed).
import { EventEmitter } from 'node:events'
import type mysql from 'mysql2'
import { decodeBinaryRow } from './mysql-binary-row'

const COM_STMT_EXECUTE = 0x17
const COM_STMT_FETCH = 0x1c
const CURSOR_TYPE_READ_ONLY = 0x01
const SERVER_STATUS_CURSOR_EXISTS = 0x40
const SERVER_STATUS_LAST_ROW_SENT = 0x80

/** What mysql2 hands a command for each packet (payload between `offset` and `end`). */
interface IncomingPacket {
  buffer: Buffer
  offset: number
  end: number
}

interface ConnectionInternals {
  addCommand(cmd: unknown): unknown
  writePacket(packet: unknown): void
  _resetSequenceId(): void
}

interface PreparedInfo {
  id: number
  columns: mysql.FieldPacket[]
  parameters: unknown[]
}

/** A MySQL server error from a raw command, shaped like mysql2's (errno, sqlState, sqlMessage). */
function serverError(
  body: Buffer,
): Error & { errno: number; sqlState: string; sqlMessage: string; code: string } {
  const errno = body.readUInt16LE(1)
  const hasState = body[3] === 0x23
  const sqlMessage = body.toString('utf8', hasState ? 9 : 3)
  return Object.assign(new Error(sqlMessage), {
    errno,
    sqlState: hasState ? body.toString('ascii', 4, 9) : 'HY000',
    sqlMessage,
    code: `ER_${errno}`,
  })
}

const isEof = (body: Buffer) => body[0] === 0xfe && body.length < 9

/** Sends one command packet and feeds response payloads to `onPacket` until it returns true. */
function rawCommand(
  conn: mysql.PoolConnection,
  payload: Buffer,
  onPacket: (body: Buffer) => boolean,
): Promise<void> {
  const c = conn as unknown as ConnectionInternals
  return new Promise((resolve, reject) => {
    let started = false
    const cmd = Object.assign(new EventEmitter(), {
      execute(packet: IncomingPacket | null, connection: ConnectionInternals): boolean {
        if (!started) {
          started = true
          connection._resetSequenceId()
          const buffer = Buffer.concat([Buffer.alloc(4), payload])
          connection.writePacket({
            buffer,
            length: () => buffer.length - 4,
            writeHeader(seq: number) {
              buffer.writeUIntLE(buffer.length - 4, 0, 3)
              buffer[3] = seq
            },
          })
          return false
        }
        if (!packet) return false
        const body = packet.buffer.subarray(packet.offset, packet.end)
        if (body[0] === 0xff) {
          reject(serverError(body))
          return true
        }
        try {
          if (!onPacket(body)) return false
        } catch (err) {
          reject(err)
          return true
        }
        resolve()
        return true
      },
      // mysql2 calls this on a fatal connection error while the command is queued or running.
      onResult(err: Error) {
        reject(err)
      },
    })
    cmd.on('error', reject)
    c.addCommand(cmd)
  })
}

/** An open read-only cursor. `fetch` returns up to n rows; `close` frees the statement. */
export class MySqlCursor {
  private lookahead: unknown[] | null = null
  private exhausted = false

  private constructor(
    private readonly conn: mysql.PoolConnection,
    private readonly sql: string,
    private readonly stmtId: number,
    readonly fields: mysql.FieldPacket[],
    private pending: unknown[][],
  ) {}

  /**
   * Prepares and executes `sql` with a cursor. Resolves null when the statement is not a row-returning
   * one that a cursor can serve (no result columns, or placeholders): the caller runs it as text.
   */
  static async open(conn: mysql.PoolConnection, sql: string): Promise<MySqlCursor | null> {
    const stmt = await new Promise<PreparedInfo | null>((resolve) =>
      conn.prepare(sql, (err, s) => resolve(err ? null : (s as unknown as PreparedInfo))),
    )
    if (!stmt) return null
    if (stmt.columns.length === 0 || stmt.parameters.length > 0) {
      conn.unprepare(sql)
      return null
    }
    const payload = Buffer.alloc(10)
    payload[0] = COM_STMT_EXECUTE
    payload.writeUInt32LE(stmt.id, 1)
    payload[5] = CURSOR_TYPE_READ_ONLY
    payload.writeUInt32LE(1, 6)
    let state: 'count' | 'columns' | 'rows' = 'count'
    let columnsLeft = 0
    const rows: unknown[][] = []
    let cursorOpen = false
    try {
      await rawCommand(conn, payload, (body) => {
        if (state === 'count') {
          if (body[0] === 0x00) return true // an OK: no result set after all
          columnsLeft = body.readUInt8(0) < 0xfb ? body.readUInt8(0) : body.readUInt16LE(1)
          state = 'columns'
          return false
        }
        if (state === 'columns') {
          if (columnsLeft > 0) {
            columnsLeft--
            return false
          }
          // The EOF after the column definitions says whether the server opened a cursor.
          cursorOpen = (body.readUInt16LE(3) & SERVER_STATUS_CURSOR_EXISTS) !== 0
          state = 'rows'
          return cursorOpen
        }
        if (isEof(body)) return true
        rows.push(decodeBinaryRow(body, stmt.columns))
        return false
      })
    } catch (err) {
      conn.unprepare(sql)
      throw err
    }
    const cursor = new MySqlCursor(conn, sql, stmt.id, stmt.columns, rows)
    if (!cursorOpen) cursor.exhausted = true
    return cursor
  }

  /** Reads up to `n` rows; `hasMore` is exact (one row of lookahead is kept). */
  async fetch(n: number): Promise<{ rows: unknown[][]; hasMore: boolean }> {
    const out: unknown[][] = []
    if (this.lookahead) {
      out.push(this.lookahead)
      this.lookahead = null
    }
    while (out.length < n && this.pending.length) out.push(this.pending.shift() as unknown[])
    if (out.length < n + 1 && !this.exhausted) {
      const want = n + 1 - out.length
      const payload = Buffer.alloc(9)
      payload[0] = COM_STMT_FETCH
      payload.writeUInt32LE(this.stmtId, 1)
      payload.writeUInt32LE(want, 5)
      await rawCommand(this.conn, payload, (body) => {
        if (isEof(body)) {
          if (body.readUInt16LE(3) & SERVER_STATUS_LAST_ROW_SENT) this.exhausted = true
          return true
        }
        out.push(decodeBinaryRow(body, this.fields))
        return false
      })
      // Fewer rows than asked means the cursor is at its end even without the flag.
      if (out.length < n + 1) this.exhausted = true
    }
    if (out.length > n) this.lookahead = out.pop() as unknown[]
    const hasMore = this.lookahead !== null || this.pending.length > 0 || !this.exhausted
    return { rows: out, hasMore }
  }

  /** Closes the statement (COM_STMT_CLOSE has no reply), freeing the server-side cursor. */
  close(): void {
    this.conn.unprepare(this.sql)
  }
}
