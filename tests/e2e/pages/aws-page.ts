// "Add from AWS" and the IAM Identity Center sign-in dialog.
import type { BrowserContext, Page } from 'playwright-core'
import { text } from '../support/text'

/** Discovery dialog and sign-in dialog. */
export class AwsPage {
  constructor(readonly page: Page) {}

  dialog() {
    return this.page.getByTestId('discovery-dialog')
  }

  /** Opens "Add from AWS". */
  async openDiscovery(): Promise<void> {
    await this.page.getByTestId('add-from-aws').click()
    await this.dialog().waitFor()
  }

  /** Picks a profile and lists its databases (waits for a result or an error). */
  async discover(profile: string): Promise<void> {
    await this.dialog().getByTestId('discovery-profile').selectOption(profile)
    await this.dialog().getByTestId('discovery-run').click()
    await this.page
      .locator('[data-testid="discovery-summary"], [data-testid="discovery-error"]')
      .first()
      .waitFor({ timeout: 60_000 })
  }

  async errorText(): Promise<string> {
    return text(this.dialog().getByTestId('discovery-error'))
  }

  async problems(): Promise<string[]> {
    return this.dialog().getByTestId('discovery-problem').allInnerTexts()
  }

  /** Database ids in the order listed. */
  async databaseIds(): Promise<string[]> {
    return this.dialog()
      .getByTestId('discovered-db')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-db-id') ?? ''))
  }

  row(id: string) {
    return this.dialog().locator(`[data-testid="discovered-db"][data-db-id="${id}"]`)
  }

  /** The two clicks: Add on the row, then Save target with the prefilled choices. */
  async addTarget(id: string): Promise<void> {
    await this.row(id).getByTestId('discovered-add').click()
    await this.dialog().getByTestId('discovered-save').click()
    await this.dialog().waitFor({ state: 'detached' })
  }

  signIn() {
    return this.page.getByTestId('sign-in-dialog')
  }

  /** The code the dialog asks the user to check. */
  async userCode(): Promise<string> {
    await this.signIn().getByTestId('sso-user-code').waitFor({ timeout: 60_000 })
    return text(this.signIn().getByTestId('sso-user-code'))
  }

  /** The browser step: open the verification link in a new tab and click Allow or Deny there. */
  async decideInBrowser(context: BrowserContext, decision: 'approve' | 'deny'): Promise<void> {
    const href = await this.signIn().getByTestId('sso-verification-link').getAttribute('href')
    if (!href) throw new Error('no verification link')
    const tab = await context.newPage()
    await tab.goto(href)
    await tab.locator(`button[value="${decision}"]`).click()
    await tab.getByText(/Done \(/).waitFor()
    await tab.close()
  }

  /** Waits for the sign-in to reach a stage (signed-in, failed). */
  async waitStage(stage: string): Promise<void> {
    await this.signIn()
      .locator(`[data-testid="sign-in-stage"][data-stage="${stage}"]`)
      .waitFor({ timeout: 60_000 })
  }

  async signInError(): Promise<string> {
    return text(this.signIn().getByTestId('sign-in-error'))
  }
}
