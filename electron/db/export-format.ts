// Pure formatting for exports: RFC 4180 CSV records and JSON objects built from display cells.
import type { Cell, Column } from '../../shared/ipc/models'

/** Quotes one CSV field per RFC 4180: fields with comma, quote, CR or LF are quoted, quotes doubled. */
export function csvField(value: Cell): string {
  if (value === null) return ''
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** One CSV record terminated by CRLF (RFC 4180 §2). */
export function csvRecord(values: Cell[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/

/** One JSON value: numbers stay exact (raw text), json columns are embedded, the rest are strings. */
export function jsonValue(raw: unknown, column: Column): string {
  if (raw === null || raw === undefined) return 'null'
  const text = String(raw)
  if (column.kind === 'number' && JSON_NUMBER.test(text)) return text
  if (column.kind === 'bool' && (text === 't' || text === 'f')) return text === 't' ? 'true' : 'false'
  if (column.kind === 'json') return text
  return JSON.stringify(text)
}

/** One row as a JSON object text. */
export function jsonObject(row: unknown[], columns: Column[]): string {
  return `{${columns.map((c, i) => `${JSON.stringify(c.name)}:${jsonValue(row[i], c)}`).join(',')}}`
}
