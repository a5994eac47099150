// The MySQL script splitter: semicolons inside strings, identifiers and comments do not split;
// DELIMITER changes the separator for procedure bodies; blank statements are dropped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { splitMySql } from '../../../electron/db/mysql-sql-splitter'

const texts = (sql: string) => splitMySql(sql).map((s) => s.text)

test('quotes, backticks, backslash escapes and comments keep their semicolons', () => {
  assert.deepEqual(
    texts(`SELECT 'a;b', "c;d", \`e;f\`, 'it\\'s;' ; # note; here
SELECT 2 -- trailing; comment
; /* block; */ SELECT 3;;`),
    [
      `SELECT 'a;b', "c;d", \`e;f\`, 'it\\'s;'`,
      '# note; here\nSELECT 2 -- trailing; comment',
      '/* block; */ SELECT 3',
    ],
  )
})

test('"--" without a following space is not a comment (MySQL\'s rule)', () => {
  assert.deepEqual(texts('SELECT 1--1; SELECT 2'), ['SELECT 1--1', 'SELECT 2'])
})

test('DELIMITER lines switch the separator and are not sent to the server', () => {
  const sql = `DELIMITER //
CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//
DELIMITER ;
CALL p();`
  assert.deepEqual(texts(sql), ['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'CALL p()'])
})

test('statement offsets point into the script', () => {
  const sql = '  SELECT 1;\n  SELECT 2'
  const [a, b] = splitMySql(sql)
  assert.equal(sql.slice(a?.start, (a?.start ?? 0) + 8), 'SELECT 1')
  assert.equal(sql.slice(b?.start, (b?.start ?? 0) + 8), 'SELECT 2')
})
