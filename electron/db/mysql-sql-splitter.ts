// Splits a MySQL script into statements the way the mysql client does for the cases that matter:
// '…' and "…" strings (backslash escapes and doubled quotes), `identifiers`, "-- " and # line
// comments, /* */ block comments, and the client's DELIMITER command (for procedure bodies).
import type { SqlStatement } from './sql-splitter'

function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1
  while (j < sql.length) {
    const c = sql[j]
    if (c === '\\' && quote !== '`') {
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

const lineEnd = (sql: string, i: number): number => {
  const nl = sql.indexOf('\n', i)
  return nl < 0 ? sql.length : nl + 1
}

/** "-- " starts a comment only when followed by whitespace or the end (MySQL's rule). */
const isDashComment = (sql: string, i: number): boolean =>
  sql[i] === '-' && sql[i + 1] === '-' && (i + 2 >= sql.length || /\s/.test(sql[i + 2] ?? ''))

function isBlank(text: string): boolean {
  let i = 0
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) i++
    else if (text[i] === '#' || isDashComment(text, i)) i = lineEnd(text, i)
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 2
    } else return false
  }
  return true
}

const DELIMITER_LINE = /^[ \t]*delimiter[ \t]+(\S+)[ \t]*(\r?\n|$)/i

/** Splits `sql` at top-level delimiters (`;` unless a DELIMITER line changed it), dropping blank ones. */
export function splitMySql(sql: string): SqlStatement[] {
  const out: SqlStatement[] = []
  let delimiter = ';'
  let begin = 0
  const push = (end: number) => {
    const raw = sql.slice(begin, end)
    if (!isBlank(raw)) {
      const lead = raw.length - raw.trimStart().length
      out.push({ text: raw.trim(), start: begin + lead })
    }
  }
  let i = 0
  let lineStart = true
  while (i < sql.length) {
    if (lineStart) {
      const m = DELIMITER_LINE.exec(sql.slice(i, i + 200))
      if (m && isBlank(sql.slice(begin, i))) {
        delimiter = m[1] ?? ';'
        i += m[0].length
        begin = i
        continue
      }
    }
    const c = sql[i]
    lineStart = c === '\n'
    if (c === "'" || c === '"' || c === '`') i = skipQuoted(sql, i, c)
    else if (c === '#' || isDashComment(sql, i)) {
      i = lineEnd(sql, i)
      lineStart = true
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (sql.startsWith(delimiter, i)) {
      push(i)
      i += delimiter.length
      begin = i
    } else i++
  }
  push(sql.length)
  return out
}
