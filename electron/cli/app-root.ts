// Where the app's files are (out/renderer, out/main, package.json). The CLI runs from source
// (electron/cli/…) in tests and from its build (out/cli/…) otherwise, so a fixed relative path
// would be right for one and wrong for the other: walk up to our package.json instead.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The nearest folder at or above `from` whose package.json is Porthole's. */
export function findAppRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'porthole') return dir
      } catch {
        // not ours (or unreadable): keep walking
      }
    }
    if (dirname(dir) === dir) throw new Error(`Porthole's package.json was not found above ${from}`)
  }
}
