// The SQL console: editor, run/cancel, result tabs and the virtualized grid.
import type { Page } from 'playwright-core'
import { text } from '../support/text'

/** SQL console view. */
export class ConsolePage {
  constructor(readonly page: Page) {}

  /** Switches to the SQL console. */
  async show(): Promise<void> {
    await this.page.getByTestId('view-sql').click()
    await this.page.getByTestId('sql-editor').waitFor()
  }

  /** Replaces the editor text. */
  async setSql(sql: string): Promise<void> {
    const editor = this.page.getByTestId('sql-editor')
    await editor.click()
    await this.page.keyboard.press('ControlOrMeta+a')
    await this.page.keyboard.press('Delete')
    // One insertText is a single input event: autocomplete and bracket closing do not alter it.
    await this.page.keyboard.insertText(sql)
    await this.page.keyboard.press('Escape') // closes a completion popup if one opened
  }

  /** The editor's text. */
  async sql(): Promise<string> {
    return (await text(this.page.getByTestId('sql-editor'))).replace(/\u00a0/g, ' ')
  }

  /** Runs with Ctrl/Cmd+Enter and waits for it to finish. */
  async run(sql: string, timeout = 30_000): Promise<void> {
    await this.setSql(sql)
    await this.page.keyboard.press('ControlOrMeta+Enter')
    await this.waitIdle(timeout)
  }

  /** Starts a run without waiting for it to end. */
  async start(sql: string): Promise<void> {
    await this.setSql(sql)
    await this.page.getByTestId('run-query').click()
    await this.page.locator('[data-testid="cancel-query"]:not([disabled])').waitFor()
  }

  /** Waits until no query runs. */
  async waitIdle(timeout = 30_000): Promise<void> {
    await this.page.locator('[data-testid="run-query"]:not([disabled])').waitFor({ timeout })
  }

  /** Clicks Cancel. */
  async cancel(): Promise<void> {
    await this.page.getByTestId('cancel-query').click()
  }

  /** Error text under the editor ('' if none). */
  async errorText(): Promise<string> {
    const el = this.page.getByTestId('query-error')
    return (await el.count()) ? text(el) : ''
  }

  /** Text of the editor span marked as the error position ('' if none). */
  async errorMarkText(): Promise<string> {
    const el = this.page.getByTestId('sql-error-mark')
    return (await el.count()) ? text(el.first()) : ''
  }

  /** Number of result tabs. */
  async tabCount(): Promise<number> {
    return this.page.getByTestId('result-tab').count()
  }

  /** Rows loaded in the active grid. */
  async loadedRows(): Promise<number> {
    return Number(await this.page.getByTestId('result-grid-count').getAttribute('data-rows'))
  }

  /** Row elements currently in the DOM of the active grid. */
  async domRows(): Promise<number> {
    return this.page.locator('[data-testid="result-grid"] .grid-row').count()
  }

  /** Text of each visible cell in the first rendered row. */
  async firstRowCells(): Promise<string[]> {
    return this.page
      .locator('[data-testid="result-grid"] .grid-row')
      .first()
      .locator('[data-col]')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  }

  /** Scrolls the grid to its current bottom. */
  async scrollToBottom(): Promise<void> {
    await this.page.getByTestId('result-grid').evaluate((el) => {
      el.scrollTop = el.scrollHeight
    })
  }

  /** Selects result tab `i` (0-based). */
  async selectTab(i: number): Promise<void> {
    await this.page.getByTestId('result-tab').nth(i).click()
  }

  /** Opens the Messages view and returns its lines. */
  async messages(): Promise<string[]> {
    await this.page.getByTestId('messages-tab').click()
    const view = this.page.getByTestId('messages-view')
    await view.waitFor()
    return view.locator('li').evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  }

  /** Clicks Export CSV and returns the toast it ends with. */
  async exportCsv(): Promise<string> {
    // Toasts vanish after a few seconds; an observer installed before the click records the new one
    // in the page, so a slow machine cannot miss it between two polls.
    await this.page.evaluate(() => {
      // Structural types: this runs in the page, but the Node tsconfig has no DOM library.
      type Added = { dataset?: { testid?: string }; textContent: string | null }
      const g = globalThis as unknown as {
        __exportToasts: string[]
        document: { body: unknown }
        MutationObserver: new (
          cb: (records: Array<{ addedNodes: ArrayLike<Added> }>) => void,
        ) => { observe(target: unknown, options: object): void }
      }
      g.__exportToasts = []
      new g.MutationObserver((records) => {
        for (const r of records)
          for (const n of Array.from(r.addedNodes))
            if (n.dataset?.testid === 'toast' && /Export/.test(n.textContent ?? ''))
              g.__exportToasts.push(n.textContent ?? '')
      }).observe(g.document.body, { childList: true, subtree: true })
    })
    await this.page.getByTestId('export-csv').click()
    const handle = await this.page.waitForFunction(
      () => (globalThis as unknown as { __exportToasts: string[] }).__exportToasts[0],
      undefined,
      { timeout: 0 },
    )
    return (await handle.jsonValue()) as string
  }

  /** The SQLSTATE label of the error ('' if none). */
  async errorCode(): Promise<string> {
    const el = this.page.getByTestId('error-code')
    return (await el.count()) ? ((await el.first().textContent()) ?? '') : ''
  }
}
