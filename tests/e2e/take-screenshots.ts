// Takes the README screenshots of every screen against the fake API (1280x800) into
// docs/screenshots/. Run: node --import tsx tests/e2e/take-screenshots.ts
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'
import { serveStatic } from './support/static-server'

const reason = skipReason()
if (reason) {
  console.error(reason)
  process.exit(1)
}
const outDir = await mkdtemp(join(tmpdir(), 'porthole-shots-'))
await buildRenderer(outDir, 'fake')
const server = await serveStatic(outDir)
const browser = await launchChromium()
const shotsDir = join(REPO_ROOT, 'docs/screenshots')

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  const app = new AppPage(await context.newPage())
  const shot = (name: string) => app.page.screenshot({ path: join(shotsDir, `${name}.png`) })

  await app.open(server.url)
  await app.targets.emptyState().waitFor()
  await shot('01-first-run')

  await app.open(`${server.url}?seeded`)
  await app.targets.item('orders-prod (eu)').waitFor()
  await app.targets.openAddForm()
  await app.targets.fill({
    name: 'reporting',
    region: 'Frankfurt',
    instanceId: 'web-1',
    rdsHost: 'https://db.internal',
  })
  await app.targets.save()
  await shot('02-target-form-validation')
  await app.page.keyboard.press('Escape')

  await app.targets.select('billing-staging')
  await app.tunnel.connect()
  await app.tunnel.waitForState('failed')
  await shot('03-connect-failed')

  await app.targets.select('analytics (MFA)')
  await app.tunnel.connect()
  await app.page.getByTestId('mfa-dialog').waitFor()
  await app.page.getByTestId('mfa-code').fill('123')
  await shot('04-mfa-prompt')
  await app.tunnel.answerMfa('123456')
  await app.tunnel.waitForState('open')

  await app.targets.select('Demo (simulated AWS)')
  await app.tunnel.connect()
  await app.tunnel.waitForState('open')
  await app.browser.show()
  await app.browser.relations()
  await app.browser.open('public.orders')
  await app.page.waitForTimeout(2200) // let uptime tick and bytes move
  await shot('05-table-browser')

  await app.console.show()
  await app.console.run('select * from orders;\nselect n, label, maybe, doc from generate_series(1, 100000);')
  await app.page.locator('[data-testid="result-grid"] .grid-row [data-col="5"]').nth(1).click()
  await shot('06-sql-console')

  await app.console.run('select id, email\nfrom customer\nwhere vip')
  await shot('07-sql-error')

  await app.console.run('select * from generate_series(1, 200000);\nselect * from orders;')
  await app.console.selectTab(0)
  await shot('12-sql-cut-result')
  await app.console.messages()
  await shot('13-sql-messages')

  // The console as a daily driver: editor tabs, history, saved queries, grid sort/filter/copy.
  await app.console.run('select 7 as lucky')
  await app.console.newEditorTab()
  await app.console.setSql("select id, customer_id, total, status\nfrom orders o\nwhere o.status = 'shipped'")
  await app.console.saveQuery('Shipped orders')
  await app.console.run("select id, customer_id, total, status\nfrom orders o\nwhere o.status = 'shipped'")
  await app.console.history()
  await shot('20-console-tabs-history')
  await app.console.savedQueries()
  await shot('21-saved-queries')
  await app.page.getByTestId('toggle-saved').click()
  await app.console.run('select * from orders')
  const total = app.page.locator('[data-testid="result-grid"] [data-testid="grid-header"]', {
    hasText: 'total',
  })
  await total.click()
  await total.click()
  await app.page.getByTestId('result-grid-filter').fill('shipped')
  await app.page.locator('[data-testid="result-grid"] .grid-row [data-col="1"]').nth(1).click()
  await app.page
    .locator('[data-testid="result-grid"] .grid-row [data-col="3"]')
    .nth(4)
    .click({ modifiers: ['Shift'] })
  await shot('22-grid-sort-filter')
  await app.page.getByTestId('result-grid-filter').fill('')
  await total.click()

  await app.console.run('select * from xss_samples')
  await app.page.locator('[data-testid="result-grid"] .grid-row [data-col="1"]').first().click()
  await shot('08-markup-as-text')

  await app.tunnel.connectionString('psql')
  await app.tunnel.tokenWarning()
  await shot('09-connection-strings')
  await app.tunnel.closeDialog()

  await app.page.getByTestId('theme-toggle').click() // system → light
  await app.page.getByTestId('theme-toggle').click() // light → dark
  await app.console.run('select * from orders')
  await app.console.scrollToBottom()
  await app.page.waitForTimeout(400)
  await shot('10-dark-console')
  await app.browser.show()
  await shot('11-dark-browser')
  if (app.problems.length) console.error(app.problems.join('\n'))
  await context.close()
} finally {
  await browser.close()
  await server.close()
  await rm(outDir, { recursive: true, force: true })
}
console.log(`screenshots written to ${shotsDir}`)
