// Page object for the whole app shell; the screen-specific objects hang off it. Selectors are
// data-testid only, so the same flows run against the fake and the real engine (bridge tests).
import type { Page } from 'playwright-core'
import { text } from '../support/text'
import { BrowserPage } from './browser-page'
import { ConsolePage } from './console-page'
import { TargetsPage } from './targets-page'
import { TunnelPage } from './tunnel-page'

/** The Porthole window. */
export class AppPage {
  readonly targets: TargetsPage
  readonly tunnel: TunnelPage
  readonly browser: BrowserPage
  readonly console: ConsolePage
  /** Console errors and uncaught exceptions seen so far (CSP violations show up here). */
  readonly problems: string[] = []

  constructor(readonly page: Page) {
    this.targets = new TargetsPage(page)
    this.tunnel = new TunnelPage(page)
    this.browser = new BrowserPage(page)
    this.console = new ConsolePage(page)
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.push(`console: ${m.text()}`)
    })
    page.on('pageerror', (e) => this.problems.push(`pageerror: ${e.message}`))
  }

  /** Opens the app at `url` (e.g. base + '?fake' or the bridge URL with its #token). */
  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await this.page.locator('[data-testid="target-list"]').waitFor()
  }

  /** Text of the newest toast. */
  async lastToast(): Promise<string> {
    return text(this.page.getByTestId('toast').last())
  }
}
