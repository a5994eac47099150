// Which CLI build runs: the one named by a fingerprint of the sources (paths, sizes, mtimes), so a
// checkout's edits never run a stale build. CommonJS, like porthole.cjs: it runs at every start,
// and an ES module would cost Node 20 its ES module loader (~18 ms) before any command ran.
// cli-build.mjs builds what this names.
const { createHash } = require('node:crypto')
const { existsSync, readdirSync, statSync } = require('node:fs')
const { join } = require('node:path')

const ROOT = join(__dirname, '..', '..')
const OUT_ROOT = join(ROOT, 'out', 'cli')
/** The folders whose TypeScript ends up in the CLI bundle. */
const SOURCE_DIRS = ['electron', 'shared', 'sim']

// Runs at every start, so it stays lean: string paths, no path.relative (a fifth of the walk's time).
function walk(dir, rel, out) {
  let names
  try {
    names = readdirSync(dir, { withFileTypes: true })
  } catch {
    return out
  }
  for (const d of names) {
    const name = d.name
    if (d.isDirectory()) walk(`${dir}/${name}`, `${rel}${name}/`, out)
    else if (name.endsWith('.ts') || name.endsWith('.mjs') || name.endsWith('.cjs')) {
      const st = statSync(`${dir}/${name}`)
      out.push(`${rel}${name}:${st.size}:${Math.floor(st.mtimeMs)}`)
    }
  }
  return out
}

/** A hash of every source file's path, size and mtime; null when the sources are not here. */
function sourceFingerprint() {
  const files = SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d), `${d}/`, []))
  if (files.length === 0) return null
  return createHash('sha256').update(files.sort().join('\n')).digest('hex')
}

/**
 * The build for the current sources: its folder, and whether it is there yet (a build appears by one
 * atomic rename, so main.mjs present means the whole build is). An install without sources runs the
 * newest build it shipped with.
 */
function findBuild() {
  const fingerprint = sourceFingerprint()
  if (fingerprint === null) return { dir: latestBuild(), ready: true }
  const dir = join(OUT_ROOT, fingerprint.slice(0, 16))
  return { dir, ready: existsSync(join(dir, 'main.mjs')) }
}

/** Every build folder in out/cli with its mtime. */
function listBuilds() {
  try {
    return readdirSync(OUT_ROOT, { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^[0-9a-f]{16}$/.test(d.name))
      .map((d) => ({ path: join(OUT_ROOT, d.name), mtimeMs: statSync(join(OUT_ROOT, d.name)).mtimeMs }))
  } catch {
    return []
  }
}

/** The newest build (an install without sources runs what was shipped). */
function latestBuild() {
  const builds = listBuilds().sort((a, b) => b.mtimeMs - a.mtimeMs)
  if (!builds[0]) throw new Error('no CLI build in out/cli and no sources to build one from')
  return builds[0].path
}

module.exports = { ROOT, findBuild, listBuilds }
