// Writes a held result set (query-runner.ts) to CSV or JSON: exactly the rows the grid was given
// plus the rest of its still-open portal, streamed in batches. It never runs SQL: exporting the
// result of `insert … returning` inserts nothing, and `select random()` writes the values shown.
// Where files go is decided here, never by the caller: a file the main side chose (Electron's save
// dialog, through the `chooseExportPath` port) or a new file in the private exports folder.
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PortholeError } from '../../shared/errors'
import type { Column } from '../../shared/ipc/models'
import { toCells } from './display'
import { csvRecord, jsonObject } from './export-format'
import type { RawRow } from './held-result'
import type { QueryRunner } from './query-runner'

export type ExportFormat = 'csv' | 'json'

/** Asks the user where to save (Electron's save dialog); null when they cancel. */
export type ChooseExportPath = (suggestedName: string, format: ExportFormat) => Promise<string | null>

export interface ExportOutcome {
  /** Null when the user cancelled the save dialog (nothing written). */
  path: string | null
  rows: number
  /** False when the file holds only part of the result; `note` says why. */
  complete: boolean
  note: string | null
}

/** A file name that says what and when, e.g. `select-2026-12-01T21-54-37-123Z.csv`. */
export function suggestedExportName(statement: string, format: ExportFormat): string {
  const word = (/^[A-Za-z]+/.exec(statement.trim())?.[0] ?? 'result').toLowerCase()
  return `${word}-${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`
}

/** Creates the exports folder private to the user (0700, also when it already existed). */
export async function privateExportsDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
  return dir
}

/** Streams result `resultIndex` of `queryId` to a new 0600 file at `path`. */
export async function writeHeldResult(
  runner: Pick<QueryRunner, 'readAll'>,
  queryId: string,
  resultIndex: number,
  format: ExportFormat,
  path: string,
  exclusive: boolean,
): Promise<Omit<ExportOutcome, 'path'>> {
  const out = createWriteStream(path, { encoding: 'utf8', mode: 0o600, flags: exclusive ? 'wx' : 'w' })
  let writeError: Error | null = null
  out.on('error', (err) => {
    writeError = PortholeError.of('INTERNAL', `Cannot write the export to ${path}: ${err.message}`)
  })
  await once(out, 'open').catch(() => undefined)
  if (writeError) throw writeError
  // An existing file the user chose keeps its old mode otherwise.
  await chmod(path, 0o600)
  const write = async (text: string) => {
    if (writeError) throw writeError
    if (!out.write(text)) await once(out, 'drain')
  }
  let rows = 0
  let columns: Column[] = []
  try {
    let started = false
    const onRows = async (batch: RawRow[]) => {
      for (const row of batch) {
        if (format === 'csv') await write(csvRecord(toCells(row, columns)))
        else await write(`${rows ? ',' : ''}\n${jsonObject(row, columns)}`)
        rows++
      }
    }
    const outcome = await runner.readAll(
      queryId,
      resultIndex,
      async (batch) => {
        if (!started) throw PortholeError.of('INTERNAL', 'export header not written')
        await onRows(batch)
      },
      async (cols) => {
        columns = cols
        started = true
        await write(format === 'csv' ? csvRecord(cols.map((c) => c.name)) : '[')
      },
    )
    if (format === 'json') await write(rows ? '\n]\n' : ']\n')
    out.end()
    await once(out, 'finish')
    if (writeError) throw writeError
    return { rows, complete: outcome.complete, note: outcome.note }
  } catch (err) {
    out.destroy()
    throw err
  }
}

/** The destination for an export: the chooser's pick, or a new file in the exports folder. */
export async function exportDestination(
  exportsDir: string,
  statement: string,
  format: ExportFormat,
  choose?: ChooseExportPath,
): Promise<{ path: string; exclusive: boolean } | null> {
  const name = suggestedExportName(statement, format)
  if (choose) {
    const picked = await choose(name, format)
    return picked ? { path: picked, exclusive: false } : null
  }
  return { path: join(await privateExportsDir(exportsDir), name), exclusive: true }
}
