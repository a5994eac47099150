// Maps PostgreSQL values to what the grid shows: every cell is display text or null. Values arrive
// as the server's text output (no JS parsing), so int8/numeric keep their precision and dates keep
// microseconds; only bool and JSON are reformatted.
import type { Cell, Column } from '../../shared/ipc/models'

/** Well-known type OIDs (pg_type.oid, stable across PostgreSQL versions). */
export const PG_TYPES: Record<number, { name: string; kind: Column['kind'] }> = {
  16: { name: 'bool', kind: 'bool' },
  17: { name: 'bytea', kind: 'binary' },
  18: { name: 'char', kind: 'text' },
  19: { name: 'name', kind: 'text' },
  20: { name: 'int8', kind: 'number' },
  21: { name: 'int2', kind: 'number' },
  23: { name: 'int4', kind: 'number' },
  25: { name: 'text', kind: 'text' },
  26: { name: 'oid', kind: 'number' },
  114: { name: 'json', kind: 'json' },
  700: { name: 'float4', kind: 'number' },
  701: { name: 'float8', kind: 'number' },
  790: { name: 'money', kind: 'number' },
  1042: { name: 'bpchar', kind: 'text' },
  1043: { name: 'varchar', kind: 'text' },
  1082: { name: 'date', kind: 'datetime' },
  1083: { name: 'time', kind: 'datetime' },
  1114: { name: 'timestamp', kind: 'datetime' },
  1184: { name: 'timestamptz', kind: 'datetime' },
  1186: { name: 'interval', kind: 'datetime' },
  1266: { name: 'timetz', kind: 'datetime' },
  1700: { name: 'numeric', kind: 'number' },
  2950: { name: 'uuid', kind: 'text' },
  3802: { name: 'jsonb', kind: 'json' },
}

/** The display kind of a type OID (unknown types, arrays, enums and ranges show as text). */
export function kindOfType(oid: number): Column['kind'] {
  return PG_TYPES[oid]?.kind ?? 'text'
}

/** Type parsers that keep every value as the server's text, so nothing loses precision. */
export const textTypes = {
  getTypeParser: () => (value: string) => value,
}

/** Re-indents JSON text with two spaces without parsing numbers (big ints stay exact). */
export function prettyJson(text: string): string {
  let out = ''
  let depth = 0
  const nl = () => `\n${'  '.repeat(depth)}`
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      let k = i + 1
      while (k < text.length && /\s/.test(text.charAt(k))) k++
      if (text[k] === close) {
        out += c + close
        i = k
      } else {
        depth++
        out += c + nl()
      }
    } else if (c === '}' || c === ']') {
      depth--
      out += nl() + c
    } else if (c === ',') out += `,${nl()}`
    else if (c === ':') out += ': '
    else if (!/\s/.test(c)) out += c
  }
  return out
}

/** Formats one raw text value of a column for display. */
export function toCell(value: unknown, kind: Column['kind']): Cell {
  if (value === null || value === undefined) return null
  const text = typeof value === 'string' ? value : String(value)
  if (kind === 'bool') return text === 't' ? 'true' : text === 'f' ? 'false' : text
  if (kind === 'json') return prettyJson(text)
  return text
}

/** Formats a row (array mode) for display. */
export function toCells(row: unknown[], columns: Column[]): Cell[] {
  return row.map((v, i) => toCell(v, columns[i]?.kind ?? 'text'))
}
