// "Run the statement under the cursor" picks the right statement; semicolons inside strings,
// quoted identifiers, dollar quotes and comments do not split.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { statementAt, statementRanges } from '../../../renderer/src/components/sql-statements'

const texts = (sql: string) => statementRanges(sql).map((r) => sql.slice(r.from, r.to))

test('splits on ; outside strings, identifiers, dollar quotes and comments', () => {
  const sql = `select ';' as a, "x;y" from t; -- c;omment
select $fn$ a; b $fn$, $$;$$ /* x; /* nested; */ y; */ ;
  select 3  `
  assert.deepEqual(texts(sql), [
    `select ';' as a, "x;y" from t`,
    '-- c;omment\nselect $fn$ a; b $fn$, $$;$$ /* x; /* nested; */ y; */',
    'select 3',
  ])
  assert.deepEqual(texts("select 'it''s;' ; ;; -- only a comment;\n"), ["select 'it''s;'"])
  assert.deepEqual(texts('select a$1;b'), ['select a$1', 'b'])
})

test('the statement under the cursor, in gaps and after the last one', () => {
  const sql = 'select 1;\n\nselect 2 from t;  \nselect 3'
  const at = (pos: number) => {
    const r = statementAt(sql, pos)
    return r ? sql.slice(r.from, r.to) : null
  }
  assert.equal(at(0), 'select 1')
  assert.equal(at(9), 'select 1', 'right after the ;')
  assert.equal(at(10), 'select 2 from t', 'on the blank line below: the next one')
  assert.equal(at(sql.indexOf('from')), 'select 2 from t')
  assert.equal(at(sql.indexOf('  \n') + 1), 'select 2 from t', 'trailing blanks on its line')
  assert.equal(at(sql.length), 'select 3')
  assert.equal(statementAt('select 1;\n\n', 11) && 'select 1', 'select 1', 'after the last: the last one')
  assert.equal(statementAt('  -- nothing\n', 3), null)
})
