// The renderer in real Chromium against the in-memory fake API (tests/e2e/fake-app/): the same page objects
// later drive the real engine through the loopback bridge (tests/e2e/*-bridge.test.ts).
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext } from 'playwright-core'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, skipReason } from './support/browser'
import { serveStatic } from './support/static-server'
import { readClipboard } from './support/text'

const skip = skipReason()
if (skip) console.log(`# SKIP ui-fake: ${skip}`)

describe('renderer against the fake API', { skip: skip ?? false }, () => {
  let outDir: string
  let server: Awaited<ReturnType<typeof serveStatic>>
  let browser: Browser
  let context: BrowserContext
  let app: AppPage

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'porthole-ui-'))
    await buildRenderer(outDir, 'fake')
    server = await serveStatic(outDir)
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.slice(0, -1) })
    app = new AppPage(await context.newPage())
    await app.open(server.url)
  })

  after(async () => {
    await context?.close()
    await browser?.close()
    await server?.close()
    if (outDir) await rm(outDir, { recursive: true, force: true })
  })

  test('first run offers the demo target', async () => {
    await app.targets.emptyState().waitFor()
    await app.targets.addDemo()
    assert.deepEqual(await app.targets.names(), ['Demo (simulated AWS)'])
  })

  test('the target form shows the schema messages next to bad fields, then saves good ones', async () => {
    await app.targets.openAddForm()
    await app.targets.fill({
      name: 'broken',
      region: 'Frankfurt',
      instanceId: 'web-1',
      rdsHost: 'https://db',
      rdsPort: '99999',
    })
    await app.targets.save()
    assert.equal(await app.targets.fieldError('region'), 'Region is not an AWS region such as us-east-1')
    assert.match(await app.targets.fieldError('instanceId'), /must be an SSM managed instance id/)
    assert.match(await app.targets.fieldError('rdsHost'), /not a URL/)
    assert.equal(await app.targets.fieldError('rdsPort'), 'RDS port must be 1-65535')
    assert.match(await app.targets.fieldError('database'), /not a valid database name/)
    assert.equal(await app.targets.fieldError('name'), '')
    assert.ok(await app.targets.formOpen(), 'an invalid form must not close')

    await app.targets.fill({
      region: 'eu-central-1',
      instanceId: 'i-0123456789abcdef0',
      rdsHost: 'orders.abc123.eu-central-1.rds.amazonaws.com',
      rdsPort: '5432',
      database: 'orders',
      dbUser: 'iam_app',
      awsProfile: 'mfa',
    })
    assert.equal(await app.targets.fieldError('region'), '', 'messages clear as fields become valid')
    await app.targets.save()
    await app.targets.item('broken').waitFor()
    assert.equal(await app.targets.formOpen(), false)
  })

  test('connect asks for MFA when the profile needs it, then shows live status', async () => {
    await app.targets.select('broken')
    await app.tunnel.connect()
    await app.tunnel.answerMfa('123456')
    await app.tunnel.waitForState('open')
    assert.match(await app.tunnel.stat('port'), /^127\.0\.0\.1:\d+$/)
    await app.tunnel.disconnect()
  })

  test('a failed connect explains the problem and what to do', async () => {
    await app.targets.openAddForm()
    await app.targets.fill({
      name: 'offline',
      region: 'us-east-1',
      instanceId: 'i-0000aaaabbbbcccc1',
      rdsHost: 'db.example.us-east-1.rds.amazonaws.com',
      database: 'app',
      dbUser: 'iam_app',
    })
    await app.targets.save()
    await app.targets.item('offline').waitFor()
    await app.tunnel.connect()
    await app.tunnel.waitForState('failed')
    const text = await app.tunnel.errorText()
    assert.match(text, /TARGET_NOT_CONNECTED/)
    assert.match(text, /not connected to Systems Manager/)
    assert.match(text, /SSM agent/)
  })

  test('connect the demo target and browse a table with paging', async () => {
    await app.targets.select('Demo (simulated AWS)')
    await app.tunnel.connect()
    await app.tunnel.waitForState('open')
    assert.match(await app.tunnel.stat('session'), /\S/)
    await app.browser.show()
    const rels = await app.browser.relations()
    assert.ok(rels.includes('public.customers'), rels.join(','))
    await app.browser.open('public.customers')
    assert.deepEqual((await app.browser.columnNames()).slice(0, 2), ['id', 'email'])
    assert.match(await app.browser.pageInfo(), /^Rows 1–100$/)
    await app.browser.nextPage()
    assert.match(await app.browser.pageInfo(), /^Rows 101–200$/)
  })

  test('run a query: one tab per statement, NULL shown distinctly', async () => {
    await app.console.show()
    await app.console.run("select 1 as one, null as nothing, 'x' as t; select 2 as two")
    assert.equal(await app.console.tabCount(), 2)
    assert.deepEqual(await app.console.firstRowCells(), ['1', 'NULL', 'x'])
    const nullCell = app.page.locator('[data-testid="result-grid"] .grid-cell.is-null')
    assert.equal(await nullCell.count(), 1)
  })

  test('scrolling a 100k-row result keeps the DOM small and fetches more rows', async () => {
    await app.console.run('select * from orders')
    const first = await app.console.loadedRows()
    assert.equal(first, 500)
    for (let i = 0; i < 6; i++) {
      const before = await app.console.loadedRows()
      await app.console.scrollToBottom()
      await app.page.locator(`[data-testid="result-grid-count"]:not([data-rows="${before}"])`).waitFor()
    }
    const loaded = await app.console.loadedRows()
    assert.ok(loaded >= 3500, `loaded ${loaded}`)
    const dom = await app.console.domRows()
    assert.ok(dom > 0 && dom < 80, `${dom} rows in the DOM`)
    const topRow = await app.page
      .locator('[data-testid="result-grid"] .grid-row')
      .first()
      .getAttribute('data-row')
    assert.ok(Number(topRow) > 2000, `first rendered row ${topRow}`)
  })

  test('cancel a long query', async () => {
    await app.console.start('select pg_sleep(60)')
    await app.console.cancel()
    await app.console.waitIdle(10_000)
    assert.match(await app.console.errorText(), /SQLSTATE 57014.*cancel/i)
  })

  test('a SQL error marks its position in the editor', async () => {
    await app.console.run('select 1;\nselect * from no_such_table')
    assert.match(await app.console.errorText(), /relation "no_such_table" does not exist/)
    assert.equal(await app.console.errorMarkText(), 'no_such_table')
  })

  test('markup in cells and names is shown as text', async () => {
    const title = await app.page.title()
    await app.console.run('select * from xss_samples')
    const cells = await app.page
      .locator('[data-testid="result-grid"] .grid-row [data-col="1"]')
      .allInnerTexts()
    assert.ok(
      cells.some((c) => c.startsWith('<img src=x onerror=')),
      cells.join('|'),
    )
    assert.equal(
      await app.page.locator('[data-testid="result-grid"] img, [data-testid="result-grid"] script').count(),
      0,
    )
    await app.browser.show()
    const rels = await app.browser.relations()
    assert.ok(rels.includes('audit.<i>odd</i> name'))
    assert.equal(await app.page.locator('[data-testid="schema-tree"] i').count(), 0)
    assert.equal(await app.page.title(), title)
  })

  test('copy a connection string, and the token variant warns', async () => {
    const psql = await app.tunnel.connectionString('psql')
    assert.match(psql, /^psql "host=127\.0\.0\.1 port=\d+ dbname=demo user=iam_reader/)
    await app.tunnel.copyConnectionString('psql')
    const clip = await readClipboard(app.page)
    assert.equal(clip, psql)
    assert.match(await app.tunnel.tokenWarning(), /15 minutes/)
    await app.tunnel.closeDialog()
  })

  test('disconnect', async () => {
    await app.tunnel.disconnect()
    await app.page.getByTestId('not-connected').waitFor()
    assert.equal(await app.tunnel.state(), 'closed')
  })

  test('no console errors or CSP violations', () => {
    assert.deepEqual(app.problems, [])
  })
})
