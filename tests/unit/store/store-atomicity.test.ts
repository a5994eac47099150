import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const dir = mkdtempSync(join(tmpdir(), 'porthole-atomic-'))
after(() => rmSync(dir, { recursive: true, force: true }))

it('a reader never sees a half-written store file while another process saves', async () => {
  const script = fileURLToPath(new URL('../../fixtures/store/save-many.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script, '150'], {
    env: { ...process.env, PORTHOLE_STORE_DIR: dir },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  let done = false
  void exited.then(() => {
    done = true
  })
  const file = join(dir, 'targets.json')
  let reads = 0
  while (!done) {
    if (existsSync(file)) {
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        continue // renamed between exists and read: that is the atomic swap, not a torn file
      }
      const data = JSON.parse(text) // throws (fails the test) on a partial write
      assert.equal(data.version, 1)
      reads++
    }
    await new Promise((r) => setImmediate(r))
  }
  assert.equal(await exited, 0, stderr)
  assert.ok(reads > 0, 'the reader observed the file at least once')
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).targets.length, 150)
  assert.deepEqual(readdirSync(dir), ['targets.json'], 'no temp files left behind')
})
