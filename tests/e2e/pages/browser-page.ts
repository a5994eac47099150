// The table browser: schema tree, relation details and the row preview.
import type { Page } from 'playwright-core'
import { text } from '../support/text'

/** Table browser view. */
export class BrowserPage {
  constructor(readonly page: Page) {}

  /** Switches to the Tables view. */
  async show(): Promise<void> {
    await this.page.getByTestId('view-browse').click()
  }

  /** Relation entries as `schema.name`. */
  async relations(): Promise<string[]> {
    await this.page.getByTestId('relation').first().waitFor({ timeout: 30_000 })
    return this.page
      .getByTestId('relation')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-relation') ?? ''))
  }

  /** Opens `schema.name` and waits for its columns and first page. */
  async open(qualified: string): Promise<void> {
    await this.page
      .locator(`[data-testid="relation"][data-relation="${qualified.replace(/"/g, '\\"')}"]`)
      .click()
    await this.page.getByTestId('column-row').first().waitFor()
    await this.page.getByTestId('preview-grid').waitFor()
  }

  /** Column names of the open relation. */
  async columnNames(): Promise<string[]> {
    return this.page
      .getByTestId('column-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent ?? ''))
  }

  /** "Rows a–b" text of the pager. */
  async pageInfo(): Promise<string> {
    return text(this.page.getByTestId('page-info'))
  }

  /** Goes to the next preview page and waits for the pager to change. */
  async nextPage(): Promise<void> {
    const before = await this.pageInfo()
    await this.page.getByTestId('next-page').click()
    await this.page.locator('[data-testid="page-info"]', { hasNotText: before }).waitFor()
  }
}
