// Reads the repository's import graph: every .ts/.tsx file under the given folders with each
// module specifier it imports (static, `export … from`, dynamic `import()`), relative ones
// resolved to repo-relative paths. TypeScript's own pre-processor finds them, so comments and
// strings that merely look like imports are not counted.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, posix, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** One import edge: `from` imports `spec`; `target` is the repo-relative file for relative specs. */
export interface ImportEdge {
  from: string
  spec: string
  /** Repo-relative path without extension (e.g. `electron/engine/engine`), or null for packages. */
  target: string | null
}

const SOURCE = /\.(ts|tsx)$/

function listSources(root: string, dir: string, out: string[]): string[] {
  for (const name of readdirSync(join(root, dir))) {
    if (name === 'node_modules' || name === 'out') continue
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) listSources(root, path, out)
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(path.split(sep).join('/'))
  }
  return out
}

/** The specifiers a source text imports. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)
}

/** Resolves `spec` imported by repo-relative `from` to a repo-relative path (no extension). */
export function resolveSpec(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  return posix.normalize(posix.join(posix.dirname(from), spec)).replace(SOURCE, '')
}

/** Every import edge of every source file under `folders` (repo-relative) of `root`. */
export function readImportGraph(root: string, folders: string[]): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const folder of folders) {
    for (const file of listSources(root, folder, [])) {
      const text = readFileSync(join(root, file), 'utf8')
      for (const spec of importsOf(text)) edges.push({ from: file, spec, target: resolveSpec(file, spec) })
    }
  }
  return edges
}

/** The repository root, for tests run from anywhere. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
