// The result grid's pure logic: the scaled scroll space, client-side sort and filter over the rows
// already fetched, and copying cells as TSV or CSV. No DOM here, so each rule is unit-tested.
import type { Cell, Column } from '../../../shared/ipc/models'

/**
 * Tallest scroll space the grid asks for. Browsers cap an element's height (Chromium about 33.5M px,
 * Firefox about 17.9M px) and lose precision well before; past this the space is scaled.
 */
export const MAX_SCROLL_PX = 8_000_000

/** Maps a scrollTop to rows when `rowCount × rowHeight` would exceed MAX_SCROLL_PX. */
export interface ScrollGeometry {
  /** Height of the scrollable body in px. */
  bodyHeight: number
  /** Virtual px per real px of scrolling (1 when nothing is scaled). */
  ratio: number
}

/** The scroll space for `rowCount` rows in a viewport `viewport` px tall. */
export function scrollGeometry(
  rowCount: number,
  rowHeight: number,
  viewport: number,
  maxPx: number = MAX_SCROLL_PX,
): ScrollGeometry {
  const full = rowCount * rowHeight
  if (full <= maxPx) return { bodyHeight: full, ratio: 1 }
  // Both ends must line up: scrollTop 0 shows row 0, the maximum scrollTop shows the last row.
  const span = Math.max(1, maxPx - viewport)
  return { bodyHeight: maxPx, ratio: Math.max(1, full - viewport) / span }
}

/** The virtual offset (px into the unscaled list) at a real scrollTop. */
export function virtualTop(scrollTop: number, g: ScrollGeometry): number {
  return scrollTop * g.ratio
}

/** The real scrollTop that puts the virtual offset `top` at the top of the viewport. */
export function scrollTopFor(top: number, g: ScrollGeometry): number {
  return top / g.ratio
}

export interface SortSpec {
  col: number
  dir: 'asc' | 'desc'
}

/** Compares two cells of a column: NULLs last, numbers by value, everything else by text. */
export function compareCells(a: Cell, b: Cell, kind: Column['kind']): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (kind === 'number') {
    const x = Number(a)
    const y = Number(b)
    if (x !== y && !Number.isNaN(x) && !Number.isNaN(y)) return x < y ? -1 : 1
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Indices of the rows to show: those whose any cell contains `filter` (case-insensitive; `NULL`
 * matches null cells), in `sort` order (stable). Null when neither applies (show all, as fetched).
 */
export function viewOrder(
  rows: Cell[][],
  columns: Column[],
  sort: SortSpec | null,
  filter: string,
): number[] | null {
  const needle = filter.trim().toLowerCase()
  if (!sort && !needle) return null
  let order: number[] = []
  if (needle) {
    const nullWanted = 'null'.includes(needle)
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      if (row.some((c) => (c === null ? nullWanted : c.toLowerCase().includes(needle)))) order.push(i)
    }
  } else order = Array.from(rows.keys())
  if (sort) {
    const kind = columns[sort.col]?.kind ?? 'text'
    const sign = sort.dir === 'asc' ? 1 : -1
    order.sort((i, j) => {
      const a = rows[i]![sort.col] ?? null
      const b = rows[j]![sort.col] ?? null
      // NULLs stay last in both directions, as ORDER BY … NULLS LAST would put them.
      if (a === null || b === null) return compareCells(a, b, kind) || i - j
      return sign * compareCells(a, b, kind) || i - j
    })
  }
  return order
}

/** JSON text without the display indentation (whitespace outside strings removed). */
export function compactJson(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') out += c
  }
  return out
}

/**
 * One field for TSV/CSV: NULL is an empty unquoted field and the empty string is `""`, so the two
 * stay distinct (PostgreSQL's COPY … CSV convention); JSON is copied compact. CSV quotes a field
 * with a comma, a quote or a line break (RFC 4180); TSV only one with a tab or line break or that
 * starts with a quote (what spreadsheets parse as quoted), so JSON pastes as itself. Quotes inside
 * a quoted field are doubled.
 */
export function formatField(value: Cell, kind: Column['kind'], delimiter: '\t' | ','): string {
  if (value === null) return ''
  const text = kind === 'json' ? compactJson(value) : value
  if (text === '') return '""'
  const quote = delimiter === ',' ? /[",\r\n]/.test(text) : /[\t\r\n]/.test(text) || text.startsWith('"')
  return quote ? `"${text.replaceAll('"', '""')}"` : text
}

/** The rectangle of cells (rows in view order) as delimited text, optionally with a header line. */
export function toDelimited(
  rows: Cell[][],
  columns: Column[],
  colFrom: number,
  colTo: number,
  options: { delimiter: '\t' | ','; header: boolean },
): string {
  const { delimiter } = options
  const lines: string[] = []
  const cols = columns.slice(colFrom, colTo + 1)
  if (options.header) lines.push(cols.map((c) => formatField(c.name, 'text', delimiter)).join(delimiter))
  for (const row of rows) {
    lines.push(cols.map((c, k) => formatField(row[colFrom + k] ?? null, c.kind, delimiter)).join(delimiter))
  }
  return lines.join('\n')
}
