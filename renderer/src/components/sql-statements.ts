// Where the statements of a script start and end, for "run the statement under the cursor".
// A `;` ends a statement unless it is inside a quoted string, a quoted identifier, a dollar-quoted
// body or a comment: the same places PostgreSQL ignores it.

/** One statement's range in the document: [from, to), without the terminating `;`. */
export interface StatementRange {
  from: number
  to: number
}

/** Splits `text` into the ranges of its non-empty statements (trimmed of surrounding blanks). */
export function statementRanges(text: string): StatementRange[] {
  const out: StatementRange[] = []
  let start = 0
  let i = 0
  const push = (end: number) => {
    let from = start
    let to = end
    while (from < to && /\s/.test(text[from]!)) from++
    while (to > from && /\s/.test(text[to - 1]!)) to--
    if (hasCode(text.slice(from, to))) out.push({ from, to })
  }
  while (i < text.length) {
    const c = text[i]!
    const next = text[i + 1]
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i)
      i = nl < 0 ? text.length : nl + 1
    } else if (c === '/' && next === '*') {
      // PostgreSQL block comments nest.
      let depth = 1
      i += 2
      while (i < text.length && depth > 0) {
        const pair = text.slice(i, i + 2)
        if (pair === '/*' || pair === '*/') {
          depth += pair === '/*' ? 1 : -1
          i += 2
        } else i++
      }
    } else if (c === "'" || c === '"') {
      i++
      while (i < text.length) {
        if (text[i] === c && text[i + 1] === c) i += 2
        else if (text[i] === c) break
        else i++
      }
      i++
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64))
      const before = i > 0 ? text[i - 1]! : ' '
      if (tag && !/[A-Za-z0-9_]/.test(before)) {
        const end = text.indexOf(tag[0], i + tag[0].length)
        i = end < 0 ? text.length : end + tag[0].length
      } else i++
    } else if (c === ';') {
      push(i)
      start = i + 1
      i++
    } else i++
  }
  push(text.length)
  return out
}

/** True when `s` holds anything but blanks and comments. */
function hasCode(s: string): boolean {
  return (
    s
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim().length > 0
  )
}

/**
 * The statement to run for a cursor at `pos`: the one containing it (its `;` included); in the
 * gap between two, the previous one while the cursor is still on its line, else the next one;
 * after the last statement, the last one.
 */
export function statementAt(text: string, pos: number): StatementRange | null {
  let before: StatementRange | null = null
  let beforeEnd = 0
  for (const r of statementRanges(text)) {
    const end = text[r.to] === ';' ? r.to + 1 : r.to
    if (pos >= r.from && pos <= end) return r
    if (end > pos) return before && !text.slice(beforeEnd, pos).includes('\n') ? before : r
    before = r
    beforeEnd = end
  }
  return before
}
