// Result columns for MySQL/MariaDB: the type name and display kind from the column definition's
// type code (the protocol's MYSQL_TYPE_* values), charset 63 marking binary strings.
import type mysql from 'mysql2'
import type { Cell, Column } from '../../shared/ipc/models'
import { toCell } from './display'

const BINARY_CHARSET = 63
const UNSIGNED_FLAG = 32

const TYPES: Record<number, { name: string; kind: Column['kind'] }> = {
  0: { name: 'decimal', kind: 'number' },
  1: { name: 'tinyint', kind: 'number' },
  2: { name: 'smallint', kind: 'number' },
  3: { name: 'int', kind: 'number' },
  4: { name: 'float', kind: 'number' },
  5: { name: 'double', kind: 'number' },
  6: { name: 'null', kind: 'other' },
  7: { name: 'timestamp', kind: 'datetime' },
  8: { name: 'bigint', kind: 'number' },
  9: { name: 'mediumint', kind: 'number' },
  10: { name: 'date', kind: 'datetime' },
  11: { name: 'time', kind: 'datetime' },
  12: { name: 'datetime', kind: 'datetime' },
  13: { name: 'year', kind: 'number' },
  14: { name: 'date', kind: 'datetime' },
  15: { name: 'varchar', kind: 'text' },
  16: { name: 'bit', kind: 'binary' },
  245: { name: 'json', kind: 'json' },
  246: { name: 'decimal', kind: 'number' },
  247: { name: 'enum', kind: 'text' },
  248: { name: 'set', kind: 'text' },
  249: { name: 'tinytext', kind: 'text' },
  250: { name: 'mediumtext', kind: 'text' },
  251: { name: 'longtext', kind: 'text' },
  252: { name: 'text', kind: 'text' },
  253: { name: 'varchar', kind: 'text' },
  254: { name: 'char', kind: 'text' },
  255: { name: 'geometry', kind: 'binary' },
}

const BINARY_NAMES: Record<string, string> = {
  tinytext: 'tinyblob',
  mediumtext: 'mediumblob',
  longtext: 'longblob',
  text: 'blob',
  varchar: 'varbinary',
  char: 'binary',
}

/** Builds `Column`s for a result's field packets. */
export function describeMySqlColumns(fields: mysql.FieldPacket[]): Column[] {
  return fields.map((f) => {
    const code = f.columnType ?? f.type ?? 253
    const t = TYPES[code] ?? { name: String(code), kind: 'text' as const }
    const binary = f.characterSet === BINARY_CHARSET && t.kind === 'text' && code !== 247 && code !== 248
    const unsigned = t.kind === 'number' && ((f.flags as number) & UNSIGNED_FLAG) !== 0 ? ' unsigned' : ''
    if (binary) return { name: f.name, typeName: BINARY_NAMES[t.name] ?? t.name, kind: 'binary' }
    return { name: f.name, typeName: t.name + unsigned, kind: t.kind }
  })
}

/** Display cells for one row: binary columns as 0x-hex, other Buffers as UTF-8 text. */
export function mysqlCells(row: unknown[], columns: Column[]): Cell[] {
  return row.map((v, i) => {
    const kind = columns[i]?.kind ?? 'text'
    if (Buffer.isBuffer(v)) return kind === 'binary' ? `0x${v.toString('hex')}` : v.toString('utf8')
    return toCell(v, kind)
  })
}

/** The raw row with Buffers decoded like mysqlCells, for JSON export (numbers stay raw text). */
export function mysqlRawRow(row: unknown[], columns: Column[]): unknown[] {
  return row.map((v, i) =>
    Buffer.isBuffer(v) ? (columns[i]?.kind === 'binary' ? `0x${v.toString('hex')}` : v.toString('utf8')) : v,
  )
}
