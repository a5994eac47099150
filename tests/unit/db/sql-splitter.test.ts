import assert from 'node:assert/strict'
import { test } from 'node:test'
import { codePointLength, splitSql } from '../../../electron/db/sql-splitter'

const texts = (sql: string) => splitSql(sql).map((s) => s.text)

test('splits on top-level semicolons and drops blank statements', () => {
  assert.deepEqual(texts('select 1; select 2;\n;  ;'), ['select 1', 'select 2'])
  assert.deepEqual(texts('select 1'), ['select 1'])
  assert.deepEqual(texts(''), [])
  assert.deepEqual(texts('-- only a comment\n/* and another */;'), [])
})

test('semicolons inside quotes, identifiers and comments do not split', () => {
  assert.deepEqual(texts(`select 'a;b', 'it''s; ok'; select 2`), [`select 'a;b', 'it''s; ok'`, 'select 2'])
  assert.deepEqual(texts(`select 1 as "we;ird"""; select 2`), [`select 1 as "we;ird"""`, 'select 2'])
  assert.deepEqual(texts('select 1 -- a; comment\n; select 2'), ['select 1 -- a; comment', 'select 2'])
  assert.deepEqual(texts('select /* a; /* nested; */ still; */ 1; select 2'), [
    'select /* a; /* nested; */ still; */ 1',
    'select 2',
  ])
})

test("E'' strings honour backslash escapes; plain strings do not", () => {
  assert.deepEqual(texts(`select E'a\\';b'; select 2`), [`select E'a\\';b'`, 'select 2'])
  // standard_conforming_strings: a backslash in '' is literal, so the string ends at the second quote.
  assert.deepEqual(texts(`select 'a\\'; select 2`), [`select 'a\\'`, 'select 2'])
  // `name'…'` is not an E-string just because the identifier ends in e.
  assert.deepEqual(texts(`select 1 from t where some='x\\'; select 2`), [
    `select 1 from t where some='x\\'`,
    'select 2',
  ])
})

test('dollar quoting with and without tags, but not $1 parameters or identifiers with $', () => {
  const fn = `create function f() returns int language plpgsql as $$ begin return 1; end; $$`
  assert.deepEqual(texts(`${fn}; select 2`), [fn, 'select 2'])
  const tagged = `do $body$ begin raise notice '$$;'; end $body$`
  assert.deepEqual(texts(`${tagged}; select 2`), [tagged, 'select 2'])
  assert.deepEqual(texts('prepare p as select $1; execute p(1)'), ['prepare p as select $1', 'execute p(1)'])
  assert.deepEqual(texts('select a$b$ from t; select 2'), ['select a$b$ from t', 'select 2'])
})

test('start offsets point at the trimmed statement in the script', () => {
  const sql = '  select 1;\n\n  select x from y;'
  for (const s of splitSql(sql)) assert.equal(sql.slice(s.start, s.start + s.text.length), s.text)
  assert.equal(splitSql(sql)[1]?.start, sql.indexOf('select x'))
})

test('an unterminated string swallows the rest instead of splitting inside it', () => {
  assert.deepEqual(texts(`select 'oops; select 2`), [`select 'oops; select 2`])
})

test('codePointLength counts characters, not UTF-16 units', () => {
  assert.equal(codePointLength('a😀b'), 3)
})
