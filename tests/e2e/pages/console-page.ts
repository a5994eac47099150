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

  /** Replaces the text and runs all of it (Ctrl/Cmd+Shift+Enter), waiting for it to finish. */
  async run(sql: string, timeout = 30_000): Promise<void> {
    await this.setSql(sql)
    await this.page.keyboard.press('ControlOrMeta+Shift+Enter')
    await this.waitIdle(timeout)
  }

  /** Puts the cursor at `line`:`column` (0-based) and presses Ctrl/Cmd+Enter (statement under cursor). */
  async runAtCursor(line: number, column: number, timeout = 30_000): Promise<void> {
    await this.page.getByTestId('sql-editor').click()
    await this.page.keyboard.press('ControlOrMeta+Home')
    for (let i = 0; i < line; i++) await this.page.keyboard.press('ArrowDown')
    await this.page.keyboard.press('Home')
    for (let i = 0; i < column; i++) await this.page.keyboard.press('ArrowRight')
    await this.page.keyboard.press('ControlOrMeta+Enter')
    await this.waitIdle(timeout)
  }

  /** Names of the editor tabs. */
  async editorTabs(): Promise<string[]> {
    return this.page
      .locator('[data-testid="editor-tab"] [role="tab"]')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  }

  /** Name of the active editor tab. */
  async activeEditorTab(): Promise<string> {
    return text(this.page.locator('[data-testid="editor-tab"] [role="tab"][aria-selected="true"]'))
  }

  /** Opens a new editor tab. */
  async newEditorTab(): Promise<void> {
    const before = (await this.editorTabs()).length
    await this.page.getByTestId('new-editor-tab').click()
    await this.page.locator('[data-testid="editor-tab"]').nth(before).waitFor()
  }

  /** Selects an editor tab by name. */
  async selectEditorTab(name: string): Promise<void> {
    await this.page.locator('[data-testid="editor-tab"] [role="tab"]', { hasText: name }).click()
  }

  /** Waits until tab edits are saved by main. */
  async waitTabsSaved(): Promise<void> {
    await this.page.locator('[data-testid="editor-tabs"][data-dirty="false"]').waitFor()
  }

  /** Opens the history panel (if closed) and returns the SQL of each entry, newest first. */
  async history(search?: string): Promise<string[]> {
    if (!(await this.page.getByTestId('history').count()))
      await this.page.getByTestId('toggle-history').click()
    if (search !== undefined) await this.page.getByTestId('history-search').fill(search)
    await this.page.waitForTimeout(400) // search is debounced
    return this.page
      .locator('[data-testid="history-item"] .history-sql')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  }

  /** Meta line (time, duration, rows) of the history entry at `index`. */
  async historyMeta(index: number): Promise<string> {
    return text(this.page.locator('[data-testid="history-item"] .history-meta').nth(index))
  }

  /** Clicks the history entry at `index` (puts its SQL in the editor). */
  async pickHistory(index: number): Promise<void> {
    await this.page.getByTestId('history-item').nth(index).click()
  }

  /** Saves the active tab as a saved query named `name`. */
  async saveQuery(name: string): Promise<void> {
    if (!(await this.page.getByTestId('saved-queries').count()))
      await this.page.getByTestId('toggle-saved').click()
    await this.page.getByTestId('saved-name').fill(name)
    await this.page.getByTestId('save-query').click()
    await this.page.locator('[data-testid="saved-item"]', { hasText: name }).waitFor()
  }

  /** Names of the saved queries (opens the panel). */
  async savedQueries(): Promise<string[]> {
    if (!(await this.page.getByTestId('saved-queries').count()))
      await this.page.getByTestId('toggle-saved').click()
    return this.page
      .locator('[data-testid="saved-item"] .saved-name')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
  }

  /** Clicks a saved query (puts its SQL in the editor). */
  async pickSaved(name: string): Promise<void> {
    await this.page.locator('[data-testid="saved-item"]', { hasText: name }).click()
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
