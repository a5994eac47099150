// Targets rail, empty state and the add/edit form.
import type { Page } from 'playwright-core'
import { text } from '../support/text'

/** Field values by form field name (name, region, instanceId, rdsHost, ...). */
export type TargetFields = Partial<Record<string, string>>

/** Targets list and target editor. */
export class TargetsPage {
  constructor(readonly page: Page) {}

  /** The first-run empty state. */
  emptyState() {
    return this.page.getByTestId('empty-state')
  }

  /** Adds the demo target from the empty state. */
  async addDemo(): Promise<void> {
    await this.page.getByTestId('add-demo').click()
    await this.item('Demo (simulated AWS)').waitFor()
  }

  /** A target row in the rail by exact name. */
  item(name: string) {
    return this.page.locator(`[data-testid="target-item"][data-target-name="${name.replace(/"/g, '\\"')}"]`)
  }

  /** Names in the rail, in order. */
  async names(): Promise<string[]> {
    return this.page
      .getByTestId('target-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-target-name') ?? ''))
  }

  /** Selects a target. */
  async select(name: string): Promise<void> {
    await this.item(name).click()
    await this.page.getByTestId('target-title').filter({ hasText: name }).waitFor()
  }

  /** Opens the empty Add form. */
  async openAddForm(): Promise<void> {
    await this.page.getByTestId('add-target').click()
    await this.form().waitFor()
  }

  /** The open target form. */
  form() {
    return this.page.getByTestId('target-form')
  }

  /** Replaces the given fields' values (opens Advanced for advanced fields). */
  async fill(fields: TargetFields): Promise<void> {
    for (const [name, value] of Object.entries(fields)) {
      const input = this.form().getByTestId(`field-${name}`)
      if (!(await input.isVisible())) await this.form().locator('details.advanced > summary').click()
      if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(value ?? '')
      else await input.fill(value ?? '')
    }
  }

  /** Clicks Save. */
  async save(): Promise<void> {
    await this.form().getByTestId('save-target').click()
  }

  /** The message shown under a field ('' when none). */
  async fieldError(name: string): Promise<string> {
    const field = this.form().locator(`[data-field="${name}"]`)
    if (!(await field.evaluate((e) => e.classList.contains('has-error')))) return ''
    return text(this.form().getByTestId(`field-error-${name}`))
  }

  /** Whether the form is still open. */
  async formOpen(): Promise<boolean> {
    return this.form().isVisible()
  }
}
