// Small page helpers that keep DOM types out of the Node test program (tsconfig.node has no DOM).
import type { Locator, Page } from 'playwright-core'

/** Rendered text of a locator (layout-aware, like what the user reads). */
export function text(locator: Locator): Promise<string> {
  return locator.innerText()
}

/** Reads the page's clipboard (needs the clipboard-read permission on the context). */
export function readClipboard(page: Page): Promise<string> {
  type Nav = { navigator: { clipboard: { readText(): Promise<string> } } }
  return page.evaluate(() => (globalThis as unknown as Nav).navigator.clipboard.readText())
}
