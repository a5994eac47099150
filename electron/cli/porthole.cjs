#!/usr/bin/env node
// The `porthole` command. It runs the CLI's JavaScript build (out/cli/, built by cli-build.mjs),
// building it first when it is missing or older than the sources, so no command pays for
// transpiling TypeScript at start. Should the build be impossible (esbuild missing), it falls back
// to running the TypeScript through tsx, which is slower but the same code.
//
// CommonJS on purpose: the commands that need no engine (help, version, `targets list`) run from
// the build's fast.cjs and never start Node 20's ES module loader (~18 ms before any code runs);
// every other command loads the build's main.mjs.
const module_ = require('node:module')
const { existsSync } = require('node:fs')
const { homedir } = require('node:os')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')
const freshness = require('./build-freshness.cjs')
const { quietSdkNodeVersionWarning } = require('./quiet-sdk-warning.cjs')

// Node 22.1+ keeps V8's compiled code for the build's modules on disk, so later starts skip parsing
// and compiling them (Node 20 has no such cache: a no-op there). In the user's own cache dir, not
// the shared temp dir Node defaults to, where another local user could plant compiled code.
module_.enableCompileCache?.(
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'porthole', 'node-compile-cache'),
)
quietSdkNodeVersionWarning()

/** Commands fast.cjs serves: they read the store at most and never import() anything. */
function isFast(argv) {
  const [name, sub, ...rest] = argv
  if (name === undefined || ['help', '--help', '-h', 'version', '--version'].includes(name)) return true
  if (name !== 'targets' || (sub !== undefined && sub !== 'list')) return false
  return rest.every((a) => a === '--json')
}

/** The current build's folder, building it when the sources changed (or it is missing). */
async function currentBuild() {
  const found = freshness.findBuild()
  if (found.ready) return found.dir
  const { ensureCliBuild } = await import('./cli-build.mjs')
  return ensureCliBuild(found)
}

async function loadMain(argv) {
  let dir
  try {
    dir = await currentBuild()
  } catch (err) {
    process.stderr.write(`porthole: could not build the CLI (${err?.message ?? err}); running from source\n`)
    const { register } = await import('tsx/esm/api')
    register()
    return (await import('./main.ts')).main
  }
  if (isFast(argv) && existsSync(join(dir, 'fast.cjs'))) return require(join(dir, 'fast.cjs')).main
  return (await import(pathToFileURL(join(dir, 'main.mjs')).href)).main
}

async function run() {
  const argv = process.argv.slice(2)
  try {
    const main = await loadMain(argv)
    process.exitCode = await main(argv)
  } catch (err) {
    // Last resort: one line, never a stack trace (main already turns command errors into one line).
    process.stderr.write(`porthole: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  }
}

void run()
