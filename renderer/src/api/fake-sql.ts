// A deliberately tiny "SQL engine" for the fake API: it recognises the handful of statement shapes
// the UI and its tests need (table selects, generate_series, pg_sleep, literal selects, DML) and
// reports anything else as a PostgreSQL-style syntax error with a 1-based script position.
import type { Cell, Column } from '../../../shared/ipc/models'
import { displayColumns, type FakeRelation, findRelation } from './fake-database'

/** One statement of a script with its offset (0-based) in the script. */
export interface FakeStatement {
  text: string
  offset: number
}

/** What running a statement means for the fake engine. */
export type FakePlan =
  | { kind: 'rows'; columns: Column[]; total: number; rowAt: (i: number) => Cell[] }
  | { kind: 'command'; command: string; rowCount: number }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'error'; message: string; sqlstate: string; position: number }

/** Splits a script on semicolons outside quotes, keeping each statement's offset. */
export function splitScript(script: string): FakeStatement[] {
  const out: FakeStatement[] = []
  let start = 0
  let quote: string | null = null
  const push = (end: number): void => {
    const raw = script.slice(start, end)
    const lead = raw.length - raw.trimStart().length
    if (raw.trim()) out.push({ text: raw.trim(), offset: start + lead })
  }
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!
    if (quote) {
      if (ch === quote) quote = null
    } else if (ch === "'" || ch === '"') quote = ch
    else if (ch === ';') {
      push(i)
      start = i + 1
    }
  }
  push(script.length)
  return out
}

const seriesColumns: Column[] = [
  { name: 'n', typeName: 'int4', kind: 'number' },
  { name: 'label', typeName: 'text', kind: 'text' },
  { name: 'squared', typeName: 'int8', kind: 'number' },
  { name: 'maybe', typeName: 'text', kind: 'text' },
  { name: 'doc', typeName: 'jsonb', kind: 'json' },
]

function literal(item: string): { name: string; value: Cell; kind: Column['kind'] } {
  const m = /^(.*?)\s+as\s+("?)([\w ]+)\2$/i.exec(item.trim())
  const expr = (m ? m[1]! : item).trim()
  const name = m ? m[3]! : '?column?'
  if (/^null$/i.test(expr)) return { name, value: null, kind: 'text' }
  if (/^-?\d+(\.\d+)?$/.test(expr)) return { name, value: expr, kind: 'number' }
  if (/^(true|false)$/i.test(expr)) return { name, value: expr.toLowerCase(), kind: 'bool' }
  const quoted = /^'(.*)'(::jsonb?)?$/s.exec(expr)
  if (quoted) return { name, value: quoted[1]!.replace(/''/g, "'"), kind: quoted[2] ? 'json' : 'text' }
  return { name, value: expr, kind: 'text' }
}

/** Plans one statement against the fake catalogue. */
export function planStatement(stmt: FakeStatement, catalogue: FakeRelation[]): FakePlan {
  const text = stmt.text
  const sleep = /^select\s+pg_sleep\(\s*([\d.]+)\s*\)/i.exec(text)
  if (sleep) return { kind: 'sleep', seconds: Number(sleep[1]) }
  const series = /generate_series\(\s*(\d+)\s*,\s*(\d+)\s*\)/i.exec(text)
  if (/^select\b/i.test(text) && series) {
    const a = Number(series[1])
    const total = Math.max(0, Number(series[2]) - a + 1)
    const rowAt = (i: number): Cell[] => {
      const n = a + i
      return [String(n), `row ${n}`, String(n * n), n % 4 === 0 ? null : `v${n % 97}`, `{"n": ${n}}`]
    }
    return { kind: 'rows', columns: seriesColumns, total, rowAt }
  }
  const from = /\bfrom\s+((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)/i.exec(text)
  if (/^select\b/i.test(text) && from) {
    const rel = findRelation(catalogue, from[1]!)
    if (!rel) {
      return {
        kind: 'error',
        message: `relation "${from[1]}" does not exist`,
        sqlstate: '42P01',
        position: stmt.offset + from.index + from[0].indexOf(from[1]!) + 1,
      }
    }
    const limit = /\blimit\s+(\d+)/i.exec(text)
    const total = limit ? Math.min(Number(limit[1]), rel.rows) : rel.rows
    const rowAt = (i: number): Cell[] => rel.columns.map((_, c) => rel.cell(i, c))
    return { kind: 'rows', columns: displayColumns(rel), total, rowAt }
  }
  const dml = /^(insert|update|delete|create|drop|alter|begin|commit|rollback|set|vacuum|analyze)\b/i.exec(
    text,
  )
  if (dml) {
    const command = dml[1]!.toUpperCase()
    return { kind: 'command', command, rowCount: /^(insert|update|delete)$/i.test(command) ? 3 : 0 }
  }
  const select = /^select\s+(.+)$/is.exec(text)
  if (select && !/\bfrom\b/i.test(text)) {
    const items = splitItems(select[1]!).map(literal)
    const columns = items.map((i) => ({
      name: i.name,
      typeName: i.kind === 'number' ? 'int4' : 'text',
      kind: i.kind,
    }))
    return { kind: 'rows', columns, total: 1, rowAt: () => items.map((i) => i.value) }
  }
  const token = /^\S+/.exec(text)?.[0] ?? text
  return {
    kind: 'error',
    message: `syntax error at or near "${token}"`,
    sqlstate: '42601',
    position: stmt.offset + 1,
  }
}

function splitItems(list: string): string[] {
  const out: string[] = []
  let depth = 0
  let quote = false
  let cur = ''
  for (const ch of list) {
    if (ch === "'") quote = !quote
    if (!quote && ch === '(') depth++
    if (!quote && ch === ')') depth--
    if (!quote && depth === 0 && ch === ',') {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out.filter((s) => s.trim())
}
