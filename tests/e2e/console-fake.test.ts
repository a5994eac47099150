// The SQL console as a daily driver, in Chromium against the in-memory fake: editor tabs, the
// statement under the cursor, Escape to cancel, history and saved queries put back into the editor,
// and column autocomplete after a table alias. (Restart survival runs against the real engine in
// console-restart-bridge.test.ts.)
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
if (skip) console.log(`# SKIP console-fake: ${skip}`)

describe('SQL console against the fake API', { skip: skip ?? false }, () => {
  let outDir: string
  let server: Awaited<ReturnType<typeof serveStatic>>
  let browser: Browser
  let context: BrowserContext
  let app: AppPage

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'porthole-console-ui-'))
    await buildRenderer(outDir, 'fake')
    server = await serveStatic(outDir)
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.slice(0, -1) })
    app = new AppPage(await context.newPage())
    await app.open(`${server.url}?seeded`)
    await app.targets.select('Demo (simulated AWS)')
    await app.tunnel.connect()
    await app.tunnel.waitForState('open')
    await app.console.show()
  })

  after(async () => {
    await context?.close()
    await browser?.close()
    await server?.close()
    if (outDir) await rm(outDir, { recursive: true, force: true })
  })

  test('Ctrl+Enter runs the statement under the cursor; Ctrl+Shift+Enter runs them all', async () => {
    await app.console.setSql('select 1 as a;\nselect 2 as b;\nselect 3 as c')
    await app.console.runAtCursor(1, 3)
    assert.equal(await app.console.tabCount(), 1)
    assert.deepEqual(await app.console.firstRowCells(), ['2'])
    await app.page.keyboard.press('ControlOrMeta+Shift+Enter')
    await app.page.locator('[data-testid="result-tab"]').nth(2).waitFor()
    assert.equal(await app.console.tabCount(), 3)
  })

  test('Escape in the editor cancels a running query', async () => {
    await app.console.setSql('select pg_sleep(30)')
    await app.page.keyboard.press('ControlOrMeta+Enter')
    await app.page.locator('[data-testid="cancel-query"]:not([disabled])').waitFor()
    await app.page.keyboard.press('Escape')
    await app.console.waitIdle(10_000)
    assert.match(await app.console.errorText(), /cancel/i)
  })

  test('editor tabs keep their own text', async () => {
    await app.console.setSql('select 11 as first_tab')
    await app.console.newEditorTab()
    assert.equal(await app.console.activeEditorTab(), 'Query 2')
    assert.equal((await app.console.sql()).trim(), '', 'a new tab starts empty')
    await app.console.setSql('select 22 as second_tab')
    await app.console.selectEditorTab('Query 1')
    assert.equal(await app.console.sql(), 'select 11 as first_tab')
    await app.console.selectEditorTab('Query 2')
    assert.equal(await app.console.sql(), 'select 22 as second_tab')
    await app.console.waitTabsSaved()
  })

  test('history is searchable, shows duration and rows, and a click puts the SQL in the editor', async () => {
    await app.console.run('select 7 as lucky')
    await app.console.run('select * from customers')
    const all = await app.console.history()
    assert.equal(all[0], 'select * from customers')
    assert.ok(all.includes('select 7 as lucky'), all.join(' | '))
    assert.match(await app.console.historyMeta(0), /\d+ ms · [\d,]+\+? rows/)
    assert.deepEqual(await app.console.history('LUCKY'), ['select 7 as lucky'])
    await app.console.pickHistory(0)
    assert.equal(await app.console.sql(), 'select 7 as lucky')
    await app.console.history('')
  })

  test('saved queries: save the tab, pick one back into the editor', async () => {
    await app.console.setSql('select id, email from customers where vip')
    await app.console.saveQuery('VIP customers')
    await app.console.setSql('select 1')
    assert.deepEqual(await app.console.savedQueries(), ['VIP customers'])
    await app.console.pickSaved('VIP customers')
    assert.equal(await app.console.sql(), 'select id, email from customers where vip')
  })

  test('autocomplete offers the columns of an aliased table after `o.`', async () => {
    await app.console.setSql('select  from orders o')
    await app.page.keyboard.press('ControlOrMeta+Home')
    for (let i = 0; i < 'select '.length; i++) await app.page.keyboard.press('ArrowRight')
    await app.page.keyboard.type('o.cu')
    const option = app.page.locator('.cm-tooltip-autocomplete li', { hasText: 'customer_id' })
    // A click, not Enter: CodeMirror ignores Enter for 75 ms after the popup opens (interactionDelay).
    await option.click()
    assert.equal(await app.console.sql(), 'select o.customer_id from orders o')
  })

  test('copy as CSV/TSV: NULL distinct from empty, quotes doubled, JSON compact', async () => {
    await app.console.run(`select '' as empty, null as nothing, 'say "hi"' as t, '{"a": 1}'::jsonb as doc`)
    const cell = (col: number) =>
      app.page.locator(`[data-testid="result-grid"] .grid-row [data-col="${col}"]`).first()
    await cell(0).click()
    await cell(3).click({ modifiers: ['Shift'] })
    await app.page.getByTestId('copy-csv').click()
    assert.equal(await readClipboard(app.page), 'empty,nothing,t,doc\n"",,"say ""hi""","{""a"":1}"')
    await app.page.getByTestId('result-grid').press('ControlOrMeta+c')
    await app.page.waitForTimeout(100)
    assert.equal(await readClipboard(app.page), '""\t\tsay "hi"\t{"a":1}')
  })

  test('sort and filter work on the loaded rows and say so; Ctrl+End moves the selection', async () => {
    await app.console.run('select * from orders')
    const loaded = await app.console.loadedRows()
    const header = (name: string) =>
      app.page.locator('[data-testid="result-grid"] [data-testid="grid-header"]', { hasText: name })
    await header('total').click()
    await header('total').click() // descending
    assert.equal(await header('total').getAttribute('data-sort'), 'desc')
    const note = app.page.getByTestId('result-grid-view-note')
    assert.match(
      await note.innerText(),
      new RegExp(
        `sorted by total desc · client side, on the ${loaded.toLocaleString('en-US')} loaded rows only`,
      ),
    )
    const totals = await app.page
      .locator('[data-testid="result-grid"] .grid-row [data-col="2"]')
      .evaluateAll((els) => els.slice(0, 5).map((e) => Number(e.textContent)))
    assert.deepEqual(
      totals,
      [...totals].sort((a, b) => b - a),
    )
    await app.page.getByTestId('result-grid-filter').fill('shipped')
    assert.match(await note.innerText(), /^[\d,]+ match · sorted by total desc/)
    await app.page.getByTestId('result-grid-filter').fill('')
    await header('total').click() // back to the fetched order
    assert.equal(await note.count(), 0)

    await app.page.locator('[data-testid="result-grid"] .grid-row [data-col="1"]').first().click()
    await app.page.getByTestId('result-grid').press('ControlOrMeta+End')
    const active = app.page.locator('[data-testid="result-grid"] .grid-cell.active')
    await active.waitFor()
    const lastRow = Number(await active.locator('xpath=..').getAttribute('data-row'))
    assert.ok(lastRow >= loaded - 1, `selection at row ${lastRow} of ${loaded}`)
    assert.equal(await active.getAttribute('data-col'), '5')
    // The row number of the selected row is shown in full (never cut by the column width).
    const num = active.locator('xpath=../div[contains(@class,"grid-rownum")]')
    assert.equal(await num.innerText(), String(lastRow + 1))
    assert.ok(await num.evaluate((e) => e.scrollWidth <= e.clientWidth))
  })

  test('no console errors or CSP violations', () => {
    assert.deepEqual(app.problems, [])
  })
})
