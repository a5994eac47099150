// The selected target's header: Connect/Disconnect, live status, errors, connection strings, MFA.
import type { Page } from 'playwright-core'
import { text } from '../support/text'

/** Tunnel controls and status. */
export class TunnelPage {
  constructor(readonly page: Page) {}

  /** Current state as the badge says (idle, starting, open, ...). */
  async state(): Promise<string> {
    return (await this.page.getByTestId('tunnel-state').getAttribute('data-state')) ?? ''
  }

  /** Waits until the badge shows `state`. */
  async waitForState(state: string, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="tunnel-state"][data-state="${state}"]`).waitFor({ timeout })
  }

  /** Clicks Connect. */
  async connect(): Promise<void> {
    await this.page.getByTestId('connect').click()
  }

  /** Clicks Disconnect and waits for closed. */
  async disconnect(): Promise<void> {
    await this.page.getByTestId('disconnect').click()
    // Disconnect asks first when queries run, results are open or other tools are connected.
    const confirm = this.page.getByTestId('confirm-disconnect')
    const closed = this.page.locator('[data-testid="tunnel-state"][data-state="closed"]')
    await confirm.or(closed).first().waitFor()
    if (await confirm.isVisible()) await confirm.click()
    await this.waitForState('closed')
  }

  /** Value of a status cell: port, session, uptime. */
  async stat(name: 'port' | 'session' | 'uptime'): Promise<string> {
    return text(this.page.getByTestId(`stat-${name}`))
  }

  /** The tunnel error text (message + hint). */
  async errorText(): Promise<string> {
    return text(this.page.getByTestId('tunnel-error'))
  }

  /** Answers the MFA dialog with `code`. */
  async answerMfa(code: string): Promise<void> {
    await this.page.getByTestId('mfa-dialog').waitFor()
    await this.page.getByTestId('mfa-code').fill(code)
    await this.page.getByTestId('mfa-submit').click()
  }

  /** Opens the connection strings dialog and returns the text of one kind. */
  async connectionString(kind: 'psql' | 'uri' | 'env' | 'jdbc' | 'token-psql'): Promise<string> {
    if (!(await this.page.getByTestId('conn-strings-dialog').isVisible())) {
      await this.page.getByTestId('conn-strings').click()
    }
    const el = this.page.getByTestId(`conn-${kind}`)
    await el.waitFor()
    return text(el)
  }

  /** Clicks Copy next to one string. */
  async copyConnectionString(kind: 'psql' | 'uri' | 'env' | 'jdbc' | 'token-psql'): Promise<void> {
    await this.page.getByTestId(`copy-${kind}`).click()
  }

  /** Ticks "include token" and returns the warning shown. */
  async tokenWarning(): Promise<string> {
    await this.page.getByTestId('with-token').check()
    const w = this.page.getByTestId('token-warning')
    await w.waitFor()
    return text(w)
  }

  /** Closes the open dialog with Escape. */
  async closeDialog(): Promise<void> {
    await this.page.keyboard.press('Escape')
  }
}
