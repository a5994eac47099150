// The tunnel-only engine behind `porthole connect`: what it refuses, and what it never loads. The
// load sets are read from esbuild's metafile of the same kind of build the CLI ships (ES modules,
// code splitting): the modules an entry loads before anything calls import().
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { build, type Metafile } from 'esbuild'
import { createTunnelEngine } from '../../../electron/engine/tunnel-core'
import { openConfTargetStore } from '../../../electron/store/conf-target-store'
import { PortholeError } from '../../../shared/errors'
import type { TargetId } from '../../../shared/target-schema'
import { REPO_ROOT } from '../architecture/import-graph'

/** Repo-relative inputs of every chunk `entry` loads statically (no dynamic import followed). */
async function staticLoadSet(entry: string): Promise<string[]> {
  const out = mkdtempSync(join(tmpdir(), 'porthole-loadset-'))
  try {
    const { metafile } = await build({
      entryPoints: { entry: join(REPO_ROOT, entry) },
      absWorkingDir: REPO_ROOT,
      outdir: out,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      mainFields: ['module', 'main'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const outputs = (metafile as Metafile).outputs
    // Chunks that import() loads are entry points too; the one we want is the entry itself.
    const entryOut = Object.keys(outputs).find((o) => outputs[o]?.entryPoint === entry)
    assert.ok(entryOut, 'the build has an entry chunk')
    const seen = new Set<string>()
    const visit = (o: string) => {
      if (seen.has(o)) return
      seen.add(o)
      for (const i of outputs[o]?.imports ?? [])
        if (i.kind === 'import-statement' && !i.external) visit(i.path)
    }
    visit(entryOut)
    return [...seen].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {}))
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

describe('tunnel-only engine', () => {
  it('loads no database, proxy, STS, RDS signer or classic zod module', async () => {
    const inputs = await staticLoadSet('electron/engine/tunnel-core.ts')
    assert.ok(
      inputs.some((i) => i.startsWith('electron/tunnel/tunnel-manager')),
      'the tunnel manager is in the set',
    )
    assert.ok(
      inputs.some((i) => i.includes('node_modules/@aws-sdk/client-ssm/')),
      'the SSM client is in the set',
    )
    const unwanted = inputs.filter((i) =>
      /^electron\/(db|proxy)\/|@aws-sdk\/(client-sts|rds-signer)\/|zod\/v4\/classic\//.test(i),
    )
    assert.deepEqual(unwanted, [])
  })

  it('every CLI command starts without the AWS SDK or classic zod', async () => {
    const inputs = await staticLoadSet('electron/cli/main.ts')
    assert.ok(inputs.includes('shared/target-schema.ts'), 'the target schema is in the set')
    assert.deepEqual(
      inputs.filter((i) => /node_modules\/(@aws-sdk|@smithy)\/|zod\/v4\/classic\//.test(i)),
      [],
    )
  })

  const dirs: string[] = []
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('refuses database, proxy and account methods with UNAVAILABLE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-tunnel-engine-'))
    dirs.push(dir)
    const engine = createTunnelEngine({ store: openConfTargetStore({ dir }), shell: 'cli', version: 'test' })
    try {
      const targetId = 't_abcdefgh' as TargetId
      const refusals = [
        () => engine.handlers.runQuery({ targetId, sql: 'select 1' } as never),
        () => engine.handlers.startProxy({ targetId }),
        () => engine.handlers.listProfileDetails(undefined),
        () => engine.handlers.listHistory({ targetId } as never),
      ]
      for (const r of refusals)
        await assert.rejects(
          r(),
          (err: unknown) => err instanceof PortholeError && err.code === 'UNAVAILABLE',
        )
      assert.deepEqual(await engine.handlers.listTunnels(undefined), [])
    } finally {
      await engine.close()
    }
  })
})
