// Pure parts of the console engine: command tags, which statements must run outside our wrapper
// transaction, and held results spilling to a private file and reading back in order.
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { HeldResult, type RawRow } from '../../../electron/db/held-result'
import { parseCommandTag } from '../../../electron/db/pg-batch'
import { runsOutsideTransaction } from '../../../electron/db/statement-exec'

test('command tags give the command and its row count', () => {
  assert.deepEqual(parseCommandTag('INSERT 0 5'), { command: 'INSERT', rowCount: 5 })
  assert.deepEqual(parseCommandTag('SELECT 3'), { command: 'SELECT', rowCount: 3 })
  assert.deepEqual(parseCommandTag('BEGIN'), { command: 'BEGIN', rowCount: null })
  assert.deepEqual(parseCommandTag('CREATE TABLE'), { command: 'CREATE TABLE', rowCount: null })
  assert.deepEqual(parseCommandTag('MERGE 2'), { command: 'MERGE', rowCount: 2 })
})

test('transaction control and statements that refuse a transaction block run on their own', () => {
  for (const sql of [
    'begin',
    'COMMIT',
    'rollback to savepoint a',
    'vacuum analyze t',
    '/* why */ VACUUM',
    '-- note\nvacuum',
    'create database x',
    'drop database if exists x',
    'create index concurrently i on t (a)',
    'create unique index concurrently i on t (a)',
    'drop index concurrently i',
    'alter system set work_mem = 1',
    'discard all',
    'reindex database x',
    "prepare transaction 'x'",
  ])
    assert.equal(runsOutsideTransaction(sql), true, sql)
  for (const sql of [
    'select 1',
    'insert into t values (1)',
    'create index i on t (a)',
    'with x as (select 1) select * from x',
    'prepare p as select 1',
    'begin_date_report()',
    'update t set vacuum = 1',
  ])
    assert.equal(runsOutsideTransaction(sql), false, sql)
})

test('held rows past the memory budget spill to a 0600 file in a 0700 folder and read back in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-held-'))
  try {
    const spill = join(dir, 'q1')
    const held = new HeldResult(spill)
    const row = (i: number): RawRow => [String(i), i % 5 === 0 ? null : `${'x'.repeat(200)} "q" \n ${i}`]
    for (let p = 0; p < 40; p++) await held.append(Array.from({ length: 500 }, (_, k) => row(p * 500 + k)))
    assert.equal(held.count, 20_000)
    const files = readdirSync(spill)
    assert.equal(files.length, 1, 'rows past the budget went to one spill file')
    assert.equal(statSync(spill).mode & 0o777, 0o700)
    assert.equal(statSync(join(spill, files[0]!)).mode & 0o777, 0o600)
    // The renderer pages through them, crossing from memory into the file.
    const served: RawRow[] = []
    for (let page = await held.next(1234); page.length; page = await held.next(1234)) served.push(...page)
    assert.equal(served.length, 20_000)
    assert.deepEqual(served[19_999], row(19_999))
    assert.deepEqual(served[15], row(15))
    // An export reads them all again, from the start.
    const all: RawRow[] = []
    await held.each(async (rows) => {
      all.push(...rows)
    })
    assert.deepEqual(all, served)
    await held.dispose()
    assert.deepEqual(readdirSync(spill), [])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
