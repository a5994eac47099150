// Issue 11 items 2, 3 (lock), 6 (preview), 8, 13 and 14 against the real store on real files.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { loadCa } from '../../../electron/db/ca-bundle'
import { openConfTargetStore } from '../../../electron/store/conf-target-store'
import { withFileLock } from '../../../electron/store/store-lock'
import { MAX_IMPORT_BYTES, MAX_TARGETS } from '../../../electron/store/target-import'
import { PortholeError } from '../../../shared/errors'
import type { TargetInput } from '../../../shared/target-schema'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-harden-'))
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

async function refusal(promise: Promise<unknown>): Promise<PortholeError> {
  try {
    await promise
  } catch (err) {
    assert.ok(err instanceof PortholeError, `expected PortholeError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a refusal')
}

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

describe('item 2: caFile must be a regular PEM file of at most 1 MB', () => {
  const dir = tempDir()
  const fifo = join(dir, 'ca.fifo')
  execFileSync('mkfifo', [fifo])
  const big = join(dir, 'big.pem')
  writeFileSync(big, `${PEM}${'x'.repeat(1024 * 1024)}`)
  const good = join(dir, 'ca.pem')
  writeFileSync(good, PEM)
  const cases: Array<[string, RegExp]> = [
    ['/dev/zero', /\/dev\/zero is a device, not a regular file/],
    [fifo, /is a FIFO, not a regular file/],
    [dir, /is a directory, not a regular file/],
    [big, /bytes, more than 1048576/],
    [join(dir, 'missing.pem'), /does not exist/],
    ['relative/ca.pem', /must be an absolute path/],
    ['/etc/hostname', /holds no PEM certificate/],
  ]

  it('save refuses each bad path with a clear caFile message, and keeps nothing', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    for (const [path, why] of cases) {
      const err = await refusal(store.save(input('orders', { caFile: path })))
      assert.equal(err.code, 'VALIDATION')
      assert.equal(err.info.issues?.[0]?.path, 'caFile')
      assert.match(err.info.issues?.[0]?.message ?? '', why, path)
    }
    assert.deepEqual(await store.list(), [])
    assert.equal((await store.save(input('orders', { caFile: good }))).caFile, good)
  })

  it('import refuses a file naming a bad caFile as targets[i].caFile', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const file = JSON.stringify([input('a', { caFile: good }), input('b', { caFile: fifo })])
    const err = await refusal(store.importJson(file))
    assert.equal(err.info.issues?.[0]?.path, 'targets[1].caFile')
    assert.match(err.message, /Import refused, nothing was changed: targets\[1\]\.caFile .* FIFO/)
    assert.deepEqual(await store.list(), [])
  })

  it('the database layer reads the CA asynchronously and refuses a FIFO instead of blocking', async () => {
    const err = await refusal(loadCa({ caFile: fifo }))
    assert.equal(err.code, 'TLS_FAILED')
    assert.match(err.message, /is a FIFO/)
    await assert.rejects(loadCa({ caFile: '/dev/zero' }), /is a device/)
    assert.deepEqual(await loadCa({ caFile: good }), [PEM])
  })
})

describe('item 3: the cross-process lock', () => {
  it('a lock left by a dead process is taken over at once', async () => {
    const dir = tempDir()
    const lock = join(dir, 'targets.json.lock')
    // A pid that is certainly gone: a child that has already exited.
    const dead = spawn(process.execPath, ['-e', '0'])
    const pid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid ?? 0)))
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), nonce: 'dead' }))
    assert.equal(await withFileLock(lock, () => 'ran'), 'ran')
    assert.equal(existsSync(lock), false, 'released afterwards')
  })

  it('a live holder is waited for, not broken', async () => {
    const dir = tempDir()
    const lock = join(dir, 'targets.json.lock')
    const order: string[] = []
    let releaseFirst: () => void = () => {}
    const first = withFileLock(lock, async () => {
      order.push('first in')
      await new Promise<void>((resolve) => {
        releaseFirst = resolve
      })
      order.push('first out')
    })
    // Wait until the first holder is inside (a state, not a timer).
    while (!order.includes('first in')) await new Promise((r) => setImmediate(r))
    const second = withFileLock(lock, () => order.push('second'))
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r))
    assert.deepEqual(order, ['first in'], 'the second waits while the first holds the lock')
    releaseFirst()
    await Promise.all([first, second])
    assert.deepEqual(order, ['first in', 'first out', 'second'])
  })
})

describe('item 8: names are unique, case-insensitively', () => {
  it('save, rename and import refuse a name another target has', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const prod = await store.save(input('Prod'))
    const staging = await store.save(input('staging'))
    for (const name of ['prod', ' PROD ', 'Prod']) {
      const err = await refusal(store.save(input(name)))
      assert.equal(err.code, 'VALIDATION')
      assert.equal(err.info.issues?.[0]?.path, 'name')
      assert.match(err.info.issues?.[0]?.message ?? '', /is already the name of another target/)
    }
    await refusal(store.save({ ...input('PROD'), id: staging.id }))
    // Renaming a target to a different case of its own name is fine.
    assert.equal((await store.save({ ...input('PROD'), id: prod.id })).name, 'PROD')
    const err = await refusal(store.importJson(JSON.stringify([input('new'), input('STAGING')])))
    assert.equal(err.info.issues?.[0]?.path, 'targets[1].name')
    const twice = await refusal(store.importJson(JSON.stringify([input('x'), input('X')])))
    assert.equal(twice.info.issues?.[0]?.path, 'targets[1].name')
    assert.equal((await store.list()).length, 2)
  })

  it('duplicate picks a free "copy" name', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const a = await store.save(input('orders'))
    assert.equal((await store.duplicate(a.id)).name, 'orders copy')
    assert.equal((await store.duplicate(a.id)).name, 'orders copy 2')
  })
})

describe('item 6: an import can be previewed before it commits', () => {
  it('previewImport lists added / updated (with fields) / unchanged and changes nothing', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const kept = await store.save(input('kept'))
    const moved = await store.save(input('moved'))
    const file = JSON.stringify([
      { ...kept },
      { ...moved, region: 'us-east-1', tags: ['x'] },
      input('brand new'),
    ])
    const before = readFileSync(store.path, 'utf8')
    const preview = await store.previewImport(file)
    assert.deepEqual(preview, {
      added: [{ name: 'brand new', changes: [] }],
      updated: [{ name: 'moved', id: moved.id, changes: ['region', 'tags'] }],
      unchanged: [{ name: 'kept', id: kept.id, changes: [] }],
    })
    assert.equal(readFileSync(store.path, 'utf8'), before, 'the preview wrote nothing')
    assert.deepEqual(await store.importJson(file), { added: 1, updated: 1, unchanged: 1 })
    assert.equal((await store.get(kept.id))?.updatedAt, kept.updatedAt, 'unchanged is untouched')
  })
})

describe('item 13: temp files left by kill -9 are swept on open', () => {
  it('a writer killed between temp write and rename leaves files the next open removes', async () => {
    const dir = tempDir()
    const store = openConfTargetStore({ dir })
    await store.save(input('survivor'))
    const script = fileURLToPath(new URL('../../fixtures/store/die-mid-save.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, PORTHOLE_STORE_DIR: dir },
      stdio: 'ignore',
    })
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)))
    assert.equal(signal, 'SIGKILL')
    const leftover = readdirSync(dir).filter((n) => n.includes('.tmp-'))
    assert.equal(leftover.length, 1, 'the killed writer left its temp file')
    // A fresh temp file may be a write in progress: kept. Once it is old, it is swept.
    openConfTargetStore({ dir })
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('.tmp-')),
      leftover,
    )
    const old = new Date(Date.now() - 5 * 60_000)
    utimesSync(join(dir, leftover[0]!), old, old)
    // Files that are not ours stay: other names, other stores, look-alikes.
    const foreign = [
      'notes.txt.tmp-1234567890abcdef',
      'targets.json.tmp-evil',
      'other.json.tmp-1234567890abcdef',
    ]
    for (const name of foreign) {
      writeFileSync(join(dir, name), 'x')
      utimesSync(join(dir, name), old, old)
    }
    const reopened = openConfTargetStore({ dir })
    const names = readdirSync(dir)
    assert.ok(!names.includes(leftover[0]!), 'the stale temp file is gone')
    for (const name of foreign) assert.ok(names.includes(name), `${name} is left alone`)
    // The dead writer's lock does not block the next save either.
    await reopened.save(input('after the crash'))
    assert.deepEqual(
      (await reopened.list()).map((t) => t.name),
      ['after the crash', 'survivor'],
    )
  })
})

describe('item 14: imports and the store are capped, and an import is one change', () => {
  it('refuses an import over 1 MB or over 1,000 targets, naming the limit', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const huge = `${JSON.stringify([input('a')])}${' '.repeat(MAX_IMPORT_BYTES)}`
    const big = await refusal(store.importJson(huge))
    assert.match(big.message, /at most 1048576/)
    const many = JSON.stringify(Array.from({ length: MAX_TARGETS + 1 }, (_, i) => input(`t${i}`)))
    const tooMany = await refusal(store.importJson(many))
    assert.match(tooMany.message, /holds 1001 targets; at most 1000/)
    assert.deepEqual(await store.list(), [])
  })

  it('1,000 targets import as one write and one change event; the 1,001st save is refused', async () => {
    const store = openConfTargetStore({ dir: tempDir() })
    const events: number[] = []
    store.onChange((targets) => events.push(targets.length))
    const file = JSON.stringify(Array.from({ length: MAX_TARGETS }, (_, i) => input(`t${i}`)))
    assert.equal((await store.importJson(file)).added, MAX_TARGETS)
    assert.deepEqual(events, [MAX_TARGETS])
    const err = await refusal(store.save(input('one too many')))
    assert.match(err.message, /At most 1000 targets/)
  })
})
