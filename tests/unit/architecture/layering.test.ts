// The layer table holds over the real tree, and the checker catches each kind of violation when
// one is planted (a throwaway tree on disk, read by the same graph reader).
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, test } from 'node:test'
import { importsOf, REPO_ROOT, readImportGraph } from './import-graph'
import { checkLayering } from './layer-rules'

const PRODUCT = ['electron', 'sim', 'shared', 'renderer/src']

describe('layering', () => {
  test('the real tree breaks no rule', () => {
    const edges = readImportGraph(REPO_ROOT, PRODUCT)
    assert.ok(edges.length > 300, `read only ${edges.length} imports`)
    const violations = checkLayering(edges)
    assert.deepEqual(violations, [], violations.map((v) => `${v.from} → ${v.spec}: ${v.rule}`).join('\n'))
  })

  test('the reader sees static, re-export, type-only and dynamic imports, not comments', () => {
    const text = [
      "import type { A } from './a'",
      "export { b } from '../b'",
      "const c = await import('./c')",
      "// import { d } from './d'",
      'const s = "import e from \'./e\'"',
    ].join('\n')
    assert.deepEqual(importsOf(text), ['./a', '../b', './c'])
  })

  const planted: Array<[string, string, string, RegExp]> = [
    [
      'a lower layer imports the engine',
      'electron/db/bad.ts',
      "import '../engine/engine'",
      /never import the engine/,
    ],
    [
      'a lower layer imports electron',
      'electron/tunnel/bad.ts',
      "import { app } from 'electron'",
      /never import/,
    ],
    ['a lower layer imports glue', 'electron/store/bad.ts', "import '../window/create-window'", /shell glue/],
    ['a new lower folder imports the CLI', 'electron/proxy/bad.ts', "import '../cli/main'", /never import/],
    [
      'base imports an upper layer',
      'electron/base/bad.ts',
      "import '../db/driver'",
      /base imports only shared/,
    ],
    ['base imports a package', 'electron/base/bad.ts', "import 'pg'", /base imports only shared/],
    [
      'sim imports client code',
      'sim/bad.ts',
      "const m = await import('../electron/tunnel/smux-codec')",
      /sim\//,
    ],
    [
      'the engine starts the simulator itself',
      'electron/engine/bad.ts',
      "await import('../../sim/index')",
      /composition roots/,
    ],
    ['shared imports a package other than zod', 'shared/bad.ts', "import 'pg'", /shared\/ imports only zod/],
    ['shared imports electron/', 'shared/ipc/bad.ts', "import '../../electron/base/logger'", /shared\//],
    [
      'the renderer imports the engine',
      'renderer/src/bad.ts',
      "import '../../electron/engine/engine'",
      /renderer/,
    ],
    ['the renderer imports Node', 'renderer/src/bad.tsx', "import 'node:fs'", /renderer/],
    [
      'the product imports a test fixture',
      'electron/engine/bad.ts',
      "import '../../tests/fixtures/x'",
      /tests\//,
    ],
  ]
  for (const [what, file, line, rule] of planted) {
    test(`a planted violation fails: ${what}`, async () => {
      const root = await mkdtemp(join(tmpdir(), 'porthole-layers-'))
      try {
        await mkdir(join(root, dirname(file)), { recursive: true })
        await writeFile(join(root, file), `${line}\n`)
        const folders = [file.split('/')[0] === 'renderer' ? 'renderer/src' : (file.split('/')[0] ?? '')]
        const violations = checkLayering(readImportGraph(root, folders))
        assert.equal(violations.length >= 1, true, `${file}: ${line} was not caught`)
        assert.ok(
          violations.some((v) => rule.test(v.rule)),
          violations.map((v) => v.rule).join('\n'),
        )
      } finally {
        await rm(root, { recursive: true, force: true })
      }
    })
  }
})
