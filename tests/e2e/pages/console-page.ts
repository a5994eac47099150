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
    const toasts = this.page.getByTestId('toast').filter({ hasText: /Export/ })
    const seen = new Set(await toasts.allTextContents())
    await this.page.getByTestId('export-csv').click()
    // Export toasts name a timestamped file, so the new one differs from any still on screen.
    for (;;) {
      const fresh = (await toasts.allTextContents()).find((t) => !seen.has(t))
      if (fresh) return fresh
      await this.page.waitForTimeout(50)
    }
  }

  /** The SQLSTATE label of the error ('' if none). */
  async errorCode(): Promise<string> {
    const el = this.page.getByTestId('error-code')
    return (await el.count()) ? ((await el.first().textContent()) ?? '') : ''
  }
}
