// A vite plugin for e2e builds only: the page's entry script (renderer/src/main.tsx) is swapped for
// the fake entry, so e2e tests run the real index.html (same CSP) and the real app over the
// in-memory fake. Used by tests/e2e/support/browser.ts; the product build never sees it.
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const productEntry = fileURLToPath(new URL('../../../renderer/src/main.tsx', import.meta.url))
const fakeEntry = fileURLToPath(new URL('./fake-main.tsx', import.meta.url))

export const swapToFakeEntry: Plugin = {
  name: 'porthole-e2e-fake-entry',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
    return resolved?.id === productEntry ? fakeEntry : null
  },
}
