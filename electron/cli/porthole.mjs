#!/usr/bin/env node
// The `porthole` command. It runs the CLI's JavaScript build (out/cli/, bundled by cli-build.mjs),
// building it first when it is missing or older than the sources, so no command pays for
// transpiling TypeScript at start. Should the build be impossible (esbuild missing), it falls back
// to running the TypeScript through tsx, which is slower but the same code.
import module from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { quietSdkNodeVersionWarning } from './quiet-sdk-warning.mjs'

// Node 22.1+ keeps V8's compiled code for the build's modules on disk, so later starts skip parsing
// and compiling them (Node 20 has no such cache: a no-op there). In the user's own cache dir, not
// the shared temp dir Node defaults to, where another local user could plant compiled code.
module.enableCompileCache?.(
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'porthole', 'node-compile-cache'),
)
quietSdkNodeVersionWarning()

async function loadMain() {
  const { ensureCliBuild } = await import('./cli-build.mjs')
  let entry
  try {
    entry = await ensureCliBuild()
  } catch (err) {
    process.stderr.write(`porthole: could not build the CLI (${err?.message ?? err}); running from source\n`)
    const { register } = await import('tsx/esm/api')
    register()
    return (await import('./main.ts')).main
  }
  return (await import(entry)).main
}

try {
  const main = await loadMain()
  process.exitCode = await main(process.argv.slice(2))
} catch (err) {
  // Last resort: one line, never a stack trace (main already turns command errors into one line).
  process.stderr.write(`porthole: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
}
