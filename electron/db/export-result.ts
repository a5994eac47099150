// Streams a whole statement result to a CSV or JSON file in cursor batches, so memory stays at one
// batch however large the result is.

import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import Cursor from 'pg-cursor'
import { PortholeError } from '../../shared/errors'
import type { Column } from '../../shared/ipc/models'
import { readPage } from './cursor-read'
import { textTypes, toCells } from './display'
import { csvRecord, jsonObject } from './export-format'
import { mapSqlError } from './pg-errors'
import type { TargetPools } from './pool-registry'
import { splitSql } from './sql-splitter'
import { describeColumns } from './type-names'

const BATCH = 1000

export interface ExportInput {
  sql: string
  format: 'csv' | 'json'
  path?: string
}

/** Runs one statement and streams every row to a file; resolves with the path and row count. */
export async function exportResult(
  pools: TargetPools,
  input: ExportInput,
  exportsDir: string,
): Promise<{ path: string; rows: number }> {
  const statements = splitSql(input.sql)
  const statement = statements[0]
  if (statements.length !== 1 || !statement)
    throw PortholeError.of(
      'VALIDATION',
      `Export runs exactly one statement; this script has ${statements.length}.`,
    )
  const path =
    input.path ?? join(exportsDir, `query-${new Date().toISOString().replace(/[:.]/g, '-')}.${input.format}`)
  await mkdir(dirname(path), { recursive: true })
  const client = await pools.connect('query')
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
    const cursor = client.query(
      new Cursor<unknown[]>(statement.text, undefined, { rowMode: 'array', types: textTypes }),
    )
    let columns: Column[] | null = null
    for (;;) {
      const page = await readPage(cursor, BATCH).catch((err: unknown) => {
        throw mapSqlError(err, 0)
      })
      if (!columns) {
        if (!page.fields.length)
          throw PortholeError.of('VALIDATION', 'The statement returns no rows to export.')
        columns = await describeColumns(pools, page.fields)
        if (input.format === 'csv') await write(csvRecord(columns.map((c) => c.name)))
        else await write('[')
      }
      for (const row of page.rows) {
        if (writeError) throw writeError
        if (input.format === 'csv') await write(csvRecord(toCells(row, columns)))
        else await write(`${rows ? ',' : ''}\n${jsonObject(row, columns)}`)
        rows++
      }
      if (!page.hasMore) break
    }
    if (input.format === 'json') await write('\n]\n')
    out.end()
    await once(out, 'finish')
    if (writeError) throw writeError
    return { path, rows }
  } catch (err) {
    out.destroy()
    throw err
  } finally {
    if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK').catch(() => {})
    client.release()
  }
}
