// The console's stores on a real temp dir: tabs and saved queries survive re-opening, concurrent
// saves never lose each other, history is newest-first, searchable, capped in bytes and never holds
// a token or a role password, and unreadable files are kept aside instead of crashing the app.
import assert from 'node:assert/strict'
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { openConsoleStores } from '../../../electron/store/console-stores'
import { createHistoryStore, scrubHistoryText } from '../../../electron/store/history-store'
import { createUiSettingsStore } from '../../../electron/store/ui-settings-store'
import { createWorkspaceStore } from '../../../electron/store/workspace-store'
import type { TargetId } from '../../../shared/target-schema'

const root = mkdtempSync(join(tmpdir(), 'porthole-console-stores-'))
after(() => rmSync(root, { recursive: true, force: true }))
const T = 't_console01' as TargetId
let n = 0
const freshDir = () => join(root, `d${n++}`)
const TOKEN =
  'mydb.abc.eu-west-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_app&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAXXXXXXXXXXXXXXXX%2F20260101&X-Amz-Signature=abcdef0123456789'

describe('workspace store', () => {
  it('keeps tabs, the active tab and saved queries across a re-open', async () => {
    const dir = freshDir()
    const a = createWorkspaceStore({ dir })
    assert.deepEqual(await a.get(T), { tabs: [], activeTabId: null, saved: [] })
    await a.saveTabs(
      T,
      [
        { id: 'tab1', title: 'Query 1', sql: 'select 1' },
        { id: 'tab2', title: 'Orders', sql: 'select * from orders o where o.id = 1' },
      ],
      'tab2',
    )
    const saved = await a.saveQuery(T, { name: 'big spenders', sql: 'select * from customers' })
    const b = createWorkspaceStore({ dir })
    const ws = await b.get(T)
    assert.equal(ws.activeTabId, 'tab2')
    assert.deepEqual(
      ws.tabs.map((t) => t.sql),
      ['select 1', 'select * from orders o where o.id = 1'],
    )
    assert.deepEqual(ws.saved, [saved])
    assert.equal(statSync(join(dir, 'workspaces', `${T}.json`)).mode & 0o777, 0o600)
  })

  it('concurrent saves of one target all land (read-modify-write is queued)', async () => {
    const dir = freshDir()
    const s = createWorkspaceStore({ dir })
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => s.saveQuery(T, { name: `q${i}`, sql: `select ${i}` })),
    )
    assert.equal((await createWorkspaceStore({ dir }).get(T)).saved.length, 25)
    assert.deepEqual(readdirSync(join(dir, 'workspaces')), [`${T}.json`], 'no temp files left')
  })

  it('renames and deletes a saved query; an unknown id is NOT_FOUND', async () => {
    const s = createWorkspaceStore({ dir: freshDir() })
    const q = await s.saveQuery(T, { name: 'a', sql: 'select 1' })
    const renamed = await s.saveQuery(T, { id: q.id, name: 'b', sql: 'select 2' })
    assert.equal(renamed.name, 'b')
    await assert.rejects(s.saveQuery(T, { id: 'nope_123', name: 'x', sql: 'y' }), { code: 'NOT_FOUND' })
    assert.equal(await s.deleteQuery(T, q.id), true)
    assert.equal(await s.deleteQuery(T, q.id), false)
  })

  it('a corrupt file is kept aside and the target starts empty', async () => {
    const dir = freshDir()
    const s = createWorkspaceStore({ dir })
    await s.saveTabs(T, [{ id: 'tab1', title: 'Q', sql: 'x' }], 'tab1')
    writeFileSync(join(dir, 'workspaces', `${T}.json`), '{"version":1,"tabs":[{')
    assert.deepEqual((await s.get(T)).tabs, [])
    const files = readdirSync(join(dir, 'workspaces'))
    assert.ok(
      files.some((f) => f.includes('.corrupt-')),
      files.join(','),
    )
  })
})

describe('history store', () => {
  it('lists newest first, searches case-insensitively and limits', async () => {
    const h = createHistoryStore({ dir: freshDir() })
    for (let i = 0; i < 5; i++) await h.append(T, { sql: `select ${i} from Orders`, at: 1000 + i, ok: true })
    await h.append(T, { sql: 'select 1 from customers', at: 2000, ok: false, error: 'boom' })
    const all = await h.list(T)
    assert.deepEqual(
      all.map((e) => e.at),
      [2000, 1004, 1003, 1002, 1001, 1000],
    )
    assert.equal((await h.list(T, { search: 'ORDERS' })).length, 5)
    assert.equal((await h.list(T, { search: 'orders', limit: 2 }))[0]?.at, 1004)
  })

  it('stays under its byte cap and keeps the newest entries', async () => {
    const dir = freshDir()
    const h = createHistoryStore({ dir, maxBytes: 4000 })
    for (let i = 0; i < 300; i++)
      await h.append(T, { sql: `select ${i}, 'padding padding padding'`, at: i, ok: true })
    const size = statSync(join(dir, 'history', `${T}.jsonl`)).size
    assert.ok(size <= 4000, `${size} bytes`)
    const list = await h.list(T)
    assert.equal(list[0]?.at, 299)
    assert.ok(list.length > 10 && list.length < 300)
  })

  it('never stores an IAM token, keys or a role password', async () => {
    const dir = freshDir()
    const h = createHistoryStore({ dir })
    await h.append(T, { sql: `select '${TOKEN}'`, at: 1, ok: true })
    await h.append(T, {
      sql: "alter role app password 'hunter2-secret'",
      at: 2,
      ok: false,
      error: `bad ${TOKEN}`,
    })
    const raw = readFileSync(join(dir, 'history', `${T}.jsonl`), 'utf8')
    for (const secret of [
      'hunter2-secret',
      'X-Amz-Signature=abcdef',
      'ASIAXXXXXXXXXXXXXXXX',
      'Action=connect&',
    ])
      assert.ok(!raw.includes(secret), `${secret} leaked: ${raw}`)
    assert.match(scrubHistoryText("CREATE USER x WITH PASSWORD 'a''b'"), /PASSWORD '<redacted>'$/)
  })

  it('skips a line torn by a crash and keeps the rest', async () => {
    const dir = freshDir()
    const h = createHistoryStore({ dir })
    await h.append(T, { sql: 'select 1', at: 1, ok: true })
    appendFileSync(join(dir, 'history', `${T}.jsonl`), '{"sql":"sel')
    const restarted = createHistoryStore({ dir })
    await restarted.append(T, { sql: 'select 2', at: 2, ok: true })
    assert.deepEqual(
      (await restarted.list(T)).map((e) => e.sql),
      ['select 2', 'select 1'],
    )
  })
})

describe('console stores together', () => {
  it('recordRun appends the outcome of a run, failed ones included', async () => {
    const dir = freshDir()
    const c = openConsoleStores({ dir })
    const result = {
      queryId: 'q_1234567890',
      results: [
        {
          index: 0,
          statement: 'select 1',
          command: 'SELECT',
          rowCount: 500,
          columns: [],
          rows: [],
          hasMore: true,
          durationMs: 3,
        },
      ],
      notices: [],
      error: null,
      durationMs: 12,
    }
    await c.recordRun(T, 'select 1', async () => result)
    await assert.rejects(
      c.recordRun(T, 'select 2', async () => {
        throw new Error('tunnel gone')
      }),
    )
    const [failed, ok] = await c.history.list(T)
    assert.deepEqual(
      { ok: ok?.ok, rowCount: ok?.rowCount, more: ok?.more, durationMs: ok?.durationMs },
      { ok: true, rowCount: 500, more: true, durationMs: 12 },
    )
    assert.equal(failed?.ok, false)
    assert.equal(failed?.error, 'tunnel gone')
  })

  it('UI settings persist and bad content reads as defaults', async () => {
    const dir = freshDir()
    await createUiSettingsStore({ dir }).save({ theme: 'dark' })
    assert.deepEqual(await createUiSettingsStore({ dir }).get(), { theme: 'dark' })
    writeFileSync(join(dir, 'ui-settings.json'), 'nope')
    assert.deepEqual(await createUiSettingsStore({ dir }).get(), { theme: 'system' })
  })
})
