// Splits a SQL script into statements the way psql's lexer does for the cases that matter:
// '…' strings ('' escapes), E'…' strings (backslash escapes), "identifiers", $tag$ dollar quotes,
// -- line comments and nested /* */ block comments. Semicolons inside any of them do not split.
// Not handled: SQL-standard function bodies (BEGIN ATOMIC … END), which psql also splits wrongly.

export interface SqlStatement {
  /** Statement text without surrounding whitespace and without the trailing semicolon. */
  text: string
  /** Offset of `text` in the script (UTF-16 index), to map server error positions back. */
  start: number
}

const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/

/** Index just after a quoted run starting at `i` (the opening quote); `backslash` for E'' strings. */
function skipQuoted(sql: string, i: number, quote: string, backslash: boolean): number {
  let j = i + 1
  while (j < sql.length) {
    const c = sql[j]
    if (backslash && c === '\\') {
      j += 2
      continue
    }
    if (c === quote) {
      if (sql[j + 1] === quote) {
        j += 2
        continue
      }
      return j + 1
    }
    j++
  }
  return sql.length
}

function skipBlockComment(sql: string, i: number): number {
  let depth = 0
  let j = i
  while (j < sql.length) {
    if (sql.startsWith('/*', j)) {
      depth++
      j += 2
    } else if (sql.startsWith('*/', j)) {
      depth--
      j += 2
      if (depth === 0) return j
    } else j++
  }
  return sql.length
}

/** True when the statement holds nothing but whitespace and comments. */
function isBlank(text: string): boolean {
  let i = 0
  while (i < text.length) {
    if (/\s/.test(text.charAt(i))) i++
    else if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i)
      i = nl < 0 ? text.length : nl + 1
    } else if (text.startsWith('/*', i)) i = skipBlockComment(text, i)
    else return false
  }
  return true
}

/** Splits `sql` into statements at top-level semicolons, dropping blank ones. */
export function splitSql(sql: string): SqlStatement[] {
  const out: SqlStatement[] = []
  let begin = 0
  const push = (end: number) => {
    const raw = sql.slice(begin, end)
    if (!isBlank(raw)) {
      const lead = raw.length - raw.trimStart().length
      out.push({ text: raw.trim(), start: begin + lead })
    }
  }
  let i = 0
  while (i < sql.length) {
    const c = sql[i]
    const prev = i > 0 ? sql.charAt(i - 1) : ''
    if (c === "'") {
      // E'…' (or e'…') allows backslash escapes, unless E is the tail of an identifier like `name'`.
      const escaped = (prev === 'E' || prev === 'e') && !(i > 1 && IDENT_CHAR.test(sql.charAt(i - 2)))
      i = skipQuoted(sql, i, "'", escaped)
    } else if (c === '"') i = skipQuoted(sql, i, '"', false)
    else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i)
      i = nl < 0 ? sql.length : nl + 1
    } else if (c === '/' && sql[i + 1] === '*') i = skipBlockComment(sql, i)
    else if (c === '$' && !IDENT_CHAR.test(prev)) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 65))?.[0]
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length)
        i = close < 0 ? sql.length : close + tag.length
      } else i++
    } else if (c === ';') {
      push(i)
      i++
      begin = i
    } else i++
  }
  push(sql.length)
  return out
}

/** Number of Unicode code points in `s` (PostgreSQL counts error positions in characters). */
export function codePointLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}
