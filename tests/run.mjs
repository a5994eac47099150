#!/usr/bin/env node
// Runs the test files under tests/ with Node's built-in runner and tsx for TypeScript.
// Usage: node tests/run.mjs [folder-or-file ...]   (default: unit, sim, integration, resilience, e2e)
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const wanted = process.argv.slice(2)
const roots = (wanted.length ? wanted : ['unit', 'sim', 'integration', 'resilience', 'e2e']).map((p) =>
  p.startsWith('tests/') || p.startsWith('/') ? p : join('tests', p),
)

function collect(path, out) {
  const full = join(root, path)
  let st
  try {
    st = statSync(full)
  } catch {
    return out
  }
  if (st.isFile()) {
    if (/\.test\.tsx?$/.test(full)) out.push(relative(root, full))
    return out
  }
  for (const name of readdirSync(full).sort()) {
    if (name === 'node_modules' || name === 'screenshots' || name === 'fixtures') continue
    collect(join(path, name), out)
  }
  return out
}

const files = roots.flatMap((r) => collect(r, []))
if (files.length === 0) {
  console.error(`No test files under ${roots.join(', ')}`)
  process.exit(1)
}
// --test-force-exit: a leaked handle in one file must not hang CI. --test-timeout is only a last
// resort against a hang (it also bounds each file): tests detect a stall themselves (no progress
// for N s, tests/fixtures/wait-for.ts), so a slow, busy machine is never a failure.
const args = [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-concurrency=2',
  '--test-force-exit',
  '--test-timeout=900000',
  ...files,
]
const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
process.exit(res.status ?? 1)
