// Docs stay true to the tree: every file the architecture walk-through names exists, and every
// `docs/<page>.md §X` a code comment cites is a section (or a numbered fact inside one) of that page.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT } from './import-graph'

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8')

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(REPO_ROOT, dir))) {
    if (name === 'node_modules') continue
    const path = `${dir}/${name}`
    if (statSync(join(REPO_ROOT, path)).isDirectory()) sources(path, out)
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(path)
  }
  return out
}

/** Does `doc` have section `ref` (`§6.2`), or numbered item N of section M (`§13.3`, `§0.4`)? */
export function hasSection(doc: string, ref: string): boolean {
  const heading = (id: string) => new RegExp(`^#{2,4} §${id.replace('.', '\\.')}(\\s|$)`, 'm')
  if (heading(ref).test(doc)) return true
  const m = /^([0-9A-Z]+(?:\.[0-9]+)?)\.([0-9]+)$/.exec(ref)
  if (!m?.[1] || !m[2]) return false
  const start = doc.search(heading(m[1]))
  if (start < 0) return false
  const rest = doc.slice(start + 1)
  const next = rest.search(/^#{2,4} §/m)
  const body = next < 0 ? rest : rest.slice(0, next)
  return new RegExp(`^${m[2]}\\. `, 'm').test(body)
}

test('every path named in docs/architecture.md exists', () => {
  const doc = read('docs/architecture.md')
  const named = [...doc.matchAll(/`((?:electron|renderer|shared|sim|tests|bench|docs)\/[^`\s{}*…]+)`/g)]
    .map((m) => m[1] ?? '')
    .filter((p) => p.length > 0)
  assert.ok(named.length > 40, `only ${named.length} paths named`)
  const missing = named.filter((p) => !existsSync(join(REPO_ROOT, p)))
  assert.deepEqual(missing, [])
})

test('every docs/<page>.md §X cited in code exists in that page', () => {
  const cited = new Map<string, Set<string>>()
  for (const file of ['electron', 'sim', 'shared', 'renderer/src', 'tests', 'bench'].flatMap((d) =>
    sources(d),
  )) {
    for (const m of read(file).matchAll(/docs\/([a-z-]+\.md) §([0-9A-Z]+(?:\.[0-9]+)*)/g)) {
      const [, page, ref] = m
      if (!page || !ref) continue
      const refs = cited.get(page) ?? new Set<string>()
      refs.add(ref)
      cited.set(page, refs)
    }
  }
  assert.ok((cited.get('protocol.md')?.size ?? 0) > 15, 'the code cites docs/protocol.md')
  const broken: string[] = []
  for (const [page, refs] of cited) {
    const doc = read(`docs/${page}`)
    for (const ref of refs) if (!hasSection(doc, ref)) broken.push(`docs/${page} §${ref}`)
  }
  assert.deepEqual(broken, [])
})

test('the section check fails for a section that is not there', () => {
  const doc = '## §4 Types\n### §4.4 Acks\ntext\n## §13 Seen\n1. one\n2. two\n'
  assert.ok(hasSection(doc, '4.4'))
  assert.ok(hasSection(doc, '13.2'))
  assert.ok(!hasSection(doc, '13.3'))
  assert.ok(!hasSection(doc, '4.5'))
  assert.ok(!hasSection(doc, '5'))
})
