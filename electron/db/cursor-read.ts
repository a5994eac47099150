// A promise wrapper over pg-cursor's callback read, which (unlike its promise form) also hands back
// the Result carrying fields, command and rowCount.
import type Cursor from 'pg-cursor'
import type { FieldLike } from './type-names'

export interface CursorPage {
  rows: unknown[][]
  fields: FieldLike[]
  command: string | null
  rowCount: number | null
  /** The portal is suspended with more rows to read. */
  hasMore: boolean
}

interface ResultLike {
  fields?: FieldLike[]
  command?: string | null
  rowCount?: number | null
}

/** Reads up to `count` rows from `cursor`. */
export function readPage(cursor: Cursor<unknown[]>, count: number): Promise<CursorPage> {
  return new Promise((resolve, reject) => {
    type Callback = (err: Error | undefined, rows: unknown[][], result?: ResultLike) => void
    const cb: Callback = (err, rows, result) => {
      if (err) return reject(err)
      // pg-cursor's state is 'done' once the portal completed (CommandComplete + ReadyForQuery).
      const state = (cursor as unknown as { state: string }).state
      resolve({
        rows,
        fields: result?.fields ?? [],
        command: result?.command ?? null,
        rowCount: result?.rowCount ?? null,
        hasMore: state !== 'done' && state !== 'error',
      })
    }
    ;(cursor.read as unknown as (n: number, cb: Callback) => void).call(cursor, count, cb)
  })
}
