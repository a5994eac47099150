// Streams a whole MySQL statement result to a CSV or JSON file, pulling rows with backpressure
// (mysql-result-stream.ts) and waiting for the file's drain, so memory stays at one batch however
// large the result is.
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { PoolConnection } from 'mysql2'
import { PortholeError } from '../../shared/errors'
import type { Column } from '../../shared/ipc/models'
import { csvRecord, jsonObject } from './export-format'
import type { ExportInput } from './export-result'
import { describeMySqlColumns, mysqlCells, mysqlRawRow } from './mysql-columns'
import { MySqlCursor } from './mysql-cursor'
import { mapMySqlSqlError } from './mysql-errors'
import type { MySqlTargetPools } from './mysql-pools'
import { MySqlResultStream } from './mysql-result-stream'
import { splitMySql } from './mysql-sql-splitter'

const BATCH = 1000

/** Runs one statement and streams every row of its first result set to a file. */
export async function exportMySqlResult(
  pools: MySqlTargetPools,
  input: ExportInput,
  exportsDir: string,
): Promise<{ path: string; rows: number }> {
  const statements = splitMySql(input.sql)
  if (statements.length !== 1)
    throw PortholeError.of(
      'VALIDATION',
      `Export runs exactly one statement; this script has ${statements.length}.`,
    )
  const path =
    input.path ?? join(exportsDir, `query-${new Date().toISOString().replace(/[:.]/g, '-')}.${input.format}`)
  await mkdir(dirname(path), { recursive: true })
  const conn = await pools.connect('query')
  // A cursor pulls batches (bounded through the tunnel); statements it cannot serve stream as text.
  let cursor: MySqlCursor | null
  try {
    cursor = await MySqlCursor.open(conn, statements[0].text)
  } catch (err) {
    conn.release()
    throw mapMySqlSqlError(err)
  }
  if (cursor) return exportFromCursor(conn, cursor, input.format, path)
  const stream = new MySqlResultStream(conn, statements[0].text, BATCH)
  const out = createWriteStream(path, { encoding: 'utf8' })
  let writeError: Error | null = null
  out.on('error', (err) => {
    writeError = PortholeError.of('INTERNAL', `Cannot write the export to ${path}: ${err.message}`)
  })
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  let rows = 0
  try {
    let columns: Column[] | null = null
    let laterSets = false
    for (;;) {
      const item = await stream.next()
      if (item.kind === 'error') throw mapMySqlSqlError(item.error)
      if (item.kind === 'end') break
      if (item.kind === 'ok' && !columns)
        throw PortholeError.of('VALIDATION', 'The statement returns no rows to export.')
      if (item.kind === 'fields') {
        // Only the first result set is exported (a CALL may return several).
        if (columns) {
          laterSets = true
          continue
        }
        columns = describeMySqlColumns(item.fields)
        const names = columns.map((c) => c.name)
        await write(input.format === 'csv' ? csvRecord(names) : '[')
        continue
      }
      if (item.kind !== 'row' || !columns || laterSets) continue
      if (writeError) throw writeError
      if (input.format === 'csv') await write(csvRecord(mysqlCells(item.row, columns)))
      else await write(`${rows ? ',' : ''}\n${jsonObject(mysqlRawRow(item.row, columns), columns)}`)
      rows++
    }
    if (!columns) throw PortholeError.of('VALIDATION', 'The statement returns no rows to export.')
    if (input.format === 'json') await write('\n]\n')
    out.end()
    await once(out, 'finish')
    if (writeError) throw writeError
    conn.release()
    return { path, rows }
  } catch (err) {
    out.destroy()
    // A half-read result cannot go back to the pool.
    if (stream.done) conn.release()
    else conn.destroy()
    throw err
  }
}

/** Writes every row of an open cursor, batch by batch, waiting for the file to drain. */
async function exportFromCursor(
  conn: PoolConnection,
  cursor: MySqlCursor,
  format: 'csv' | 'json',
  path: string,
): Promise<{ path: string; rows: number }> {
  const columns = describeMySqlColumns(cursor.fields)
  const out = createWriteStream(path, { encoding: 'utf8' })
  let writeError: Error | null = null
  out.on('error', (err) => {
    writeError = PortholeError.of('INTERNAL', `Cannot write the export to ${path}: ${err.message}`)
  })
  const write = async (text: string) => {
    if (writeError) throw writeError
    if (!out.write(text)) await once(out, 'drain')
  }
  let rows = 0
  try {
    await write(format === 'csv' ? csvRecord(columns.map((c) => c.name)) : '[')
    for (;;) {
      const page = await cursor.fetch(BATCH).catch((err: unknown) => {
        throw mapMySqlSqlError(err)
      })
      for (const row of page.rows) {
        if (format === 'csv') await write(csvRecord(mysqlCells(row, columns)))
        else await write(`${rows ? ',' : ''}\n${jsonObject(mysqlRawRow(row, columns), columns)}`)
        rows++
      }
      if (!page.hasMore) break
    }
    if (format === 'json') await write('\n]\n')
    out.end()
    await once(out, 'finish')
    if (writeError) throw writeError
    return { path, rows }
  } catch (err) {
    out.destroy()
    throw err
  } finally {
    cursor.close()
    conn.release()
  }
}
