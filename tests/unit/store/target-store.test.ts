import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { openConfTargetStore } from '../../../electron/store/conf-target-store'
import { PortholeError } from '../../../shared/errors'
import type { TargetInput } from '../../../shared/target-schema'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-store-'))
  dirs.push(dir)
  return dir
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function input(name: string, extra: Partial<TargetInput> = {}): TargetInput {
  return {
    name,
    region: 'eu-west-1',
    instanceId: 'i-0123456789abcdef0',
    rdsHost: 'db.abc123.eu-west-1.rds.amazonaws.com',
    database: 'app',
    dbUser: 'reader',
    ...extra,
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<PortholeError> {
  try {
    await promise
  } catch (err) {
    assert.ok(err instanceof PortholeError, `expected PortholeError, got ${String(err)}`)
    assert.equal(err.code, code)
    return err
  }
  assert.fail(`expected rejection with ${code}`)
}

describe('target store (conf backend, real files)', () => {
  it('round-trips a target through the file and a fresh store', async () => {
    const dir = tempDir()
    const store = openConfTargetStore({ dir })
    const saved = await store.save(input('Orders', { tags: ['prod'], color: 'red', localPort: 15432 }))
    assert.match(saved.id, /^t_[A-Za-z0-9_-]{12}$/)
    assert.equal(saved.rdsPort, 5432)
    const onDisk = JSON.parse(readFileSync(join(dir, 'targets.json'), 'utf8'))
    assert.equal(onDisk.version, 1)
    assert.equal(onDisk.targets[0].name, 'Orders')

    const reopened = openConfTargetStore({ dir })
    assert.equal(reopened.problem, null)
    assert.deepEqual(await reopened.list(), [saved])
    const updated = await reopened.save({ ...input('Orders v2'), id: saved.id })
    assert.equal(updated.createdAt, saved.createdAt)
    assert.equal((await openConfTargetStore({ dir }).get(saved.id))?.name, 'Orders v2')
  })

  it('persists all of 20 concurrent saves, leaving no temp files and a parseable file', async () => {
    const dir = tempDir()
    const store = openConfTargetStore({ dir })
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(input(`db ${i}`))))
    assert.equal(new Set(results.map((t) => t.id)).size, 20)
    const fresh = await openConfTargetStore({ dir }).list()
    assert.equal(fresh.length, 20)
    assert.deepEqual(readdirSync(dir), ['targets.json'])
    // Concurrent updates of one target serialise too: the last queued wins, none is half-applied.
    await Promise.all(results.slice(0, 10).map((t, i) => store.save({ ...input(`renamed ${i}`), id: t.id })))
    const names = (await openConfTargetStore({ dir }).list()).map((t) => t.name)
    assert.equal(names.filter((n) => n.startsWith('renamed')).length, 10)
  })

  it('keeps an unparsable file aside and reports STORE_CORRUPT naming it', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'targets.json'), '{"version": 1, "targets": [ {"na')
    const store = openConfTargetStore({ dir })
    assert.equal(store.problem?.code, 'STORE_CORRUPT')
    const kept = readdirSync(dir).filter((f) => f.startsWith('targets.corrupt-'))
    assert.equal(kept.length, 1)
    assert.match(kept[0]!, /^targets\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/)
    assert.ok(store.problem?.message.includes(join(dir, kept[0]!)))
    assert.equal(readFileSync(join(dir, kept[0]!), 'utf8'), '{"version": 1, "targets": [ {"na')
    assert.deepEqual(await store.list(), [])
    await store.save(input('fresh'))
    assert.equal((await openConfTargetStore({ dir }).list()).length, 1)
  })

  it('keeps a schema-invalid file aside too', async () => {
    const dir = tempDir()
    const bad = JSON.stringify({ version: 1, targets: [{ name: 'x', region: 'nowhere' }] })
    writeFileSync(join(dir, 'targets.json'), bad)
    const store = openConfTargetStore({ dir })
    assert.equal(store.problem?.code, 'STORE_CORRUPT')
    assert.match(store.problem?.message ?? '', /targets\[0\]/)
    const kept = readdirSync(dir).filter((f) => f.startsWith('targets.corrupt-'))
    assert.equal(readFileSync(join(dir, kept[0]!), 'utf8'), bad)
  })

  it('rejects an invalid target with VALIDATION naming the field', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const err = await rejectsWith(store.save(input('x', { region: 'Europe' })), 'VALIDATION')
    assert.deepEqual(
      err.info.issues?.map((i) => i.path),
      ['region'],
    )
    await rejectsWith(store.save({ ...input('x'), id: 't_doesnotexist' }), 'NOT_FOUND')
    assert.deepEqual(await store.list(), [])
  })

  it('duplicates and deletes', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const a = await store.save(input('A'))
    const copy = await store.duplicate(a.id)
    assert.equal(copy.name, 'A copy')
    assert.notEqual(copy.id, a.id)
    await store.delete(a.id)
    assert.deepEqual(
      (await store.list()).map((t) => t.id),
      [copy.id],
    )
    await rejectsWith(store.delete(a.id), 'NOT_FOUND')
  })

  it('import is all-or-nothing and names targets[i].field', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    await store.save(input('existing'))
    const text = JSON.stringify({
      porthole: 'targets',
      version: 1,
      targets: [input('ok'), input('bad', { rdsPort: 70000 }), input('worse', { instanceId: 'x' })],
    })
    const err = await rejectsWith(store.importJson(text), 'VALIDATION')
    const paths = err.info.issues?.map((i) => i.path)
    assert.deepEqual(paths, ['targets[1].rdsPort', 'targets[2].instanceId'])
    assert.match(err.message, /targets\[1\]\.rdsPort must be 1-65535/)
    assert.deepEqual(
      (await store.list()).map((t) => t.name),
      ['existing'],
    )
    await rejectsWith(store.importJson('not json'), 'VALIDATION')
  })

  it('export → import round-trips, updating by id; a bare array is accepted', async () => {
    const source = openConfTargetStore({ dir: tempDir() })
    await source.save(input('one'))
    await source.save(input('two', { tags: ['eu'], awsProfile: 'dev' }))
    const exported = await source.exportJson()
    const dest = openConfTargetStore({ dir: tempDir() })
    assert.deepEqual(await dest.importJson(exported), { added: 2, updated: 0, unchanged: 0 })
    const strip = (t: { createdAt: string; updatedAt: string }) => ({ ...t, createdAt: '', updatedAt: '' })
    assert.deepEqual((await dest.list()).map(strip), (await source.list()).map(strip))
    // Identical targets are left untouched (issue 11 item 6: the import says what it changes).
    assert.deepEqual(await dest.importJson(exported), { added: 0, updated: 0, unchanged: 2 })
    const changed = exported.replace('"eu"', '"us"')
    assert.deepEqual(await dest.importJson(changed), { added: 0, updated: 1, unchanged: 1 })
    assert.deepEqual(await dest.importJson(JSON.stringify([input('three')])), {
      added: 1,
      updated: 0,
      unchanged: 0,
    })
    assert.equal((await dest.list()).length, 3)
  })

  it('notifies change listeners with the sorted list', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const seen: string[][] = []
    const off = store.onChange((targets) => seen.push(targets.map((t) => t.name)))
    await store.save(input('b'))
    await store.save(input('a'))
    off()
    await store.save(input('c'))
    assert.deepEqual(seen, [['b'], ['a', 'b']])
  })
})
