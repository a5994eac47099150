// The built renderer in real Chromium against the MySQL demo target: the real engine, a native SSM
// tunnel from the simulator and the MySQL gate in front of MariaDB. Connect, browse (columns, index
// definitions, DDL), run a script with two result sets, scroll a large result, cancel with KILL
// QUERY, copy the mysql client string, disconnect. Skips without Chromium or MariaDB.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext } from 'playwright-core'
import { silentLogger } from '../../electron/base/logger'
import { type Bridge, startBridge } from '../../electron/bridge/bridge-server'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { DEMO_MYSQL } from '../../shared/demo'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { mysqlSkipReason } from '../integration/mysql-support'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'
import { text } from './support/text'

const skip = skipReason() ?? ((await mysqlSkipReason()) || false)
if (skip) console.log(`# SKIP mysql-demo: ${skip}`)
const shots = join(REPO_ROOT, 'tests/e2e/screenshots')

describe('the MySQL demo target in Chromium', { skip }, () => {
  let te: TestEngine
  let bridge: Bridge
  let browser: Browser
  let context: BrowserContext
  let app: AppPage
  const shot = (name: string) => app.page.screenshot({ path: join(shots, `${name}.png`) })

  before(async () => {
    te = await startTestEngine()
    const outDir = join(te.dir, 'renderer')
    await buildRenderer(outDir)
    bridge = await startBridge({
      dispatch: createDispatcher(te.engine.handlers),
      bus: te.engine.bus,
      staticDir: outDir,
      logger: silentLogger,
    })
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    app = new AppPage(await context.newPage())
    await app.open(bridge.url)
  })

  after(async () => {
    await context?.close()
    await browser?.close()
    await bridge?.close()
    await te?.close()
  })

  test('the demo offers a MySQL target when MariaDB runs; connect opens its tunnel', async () => {
    await te.engine.handlers.createDemoTarget(undefined)
    await app.targets.item(DEMO_MYSQL.targetName).waitFor()
    await app.targets.select(DEMO_MYSQL.targetName)
    await app.tunnel.connect()
    await app.tunnel.waitForState('open', 60_000)
    assert.match(await app.tunnel.stat('port'), /^127\.0\.0\.1:\d+$/)
  })

  test('browse: databases as schemas, columns, index definitions and the DDL', async () => {
    await app.browser.show()
    const rels = await app.browser.relations()
    assert.ok(rels.includes('demo.customers'), rels.join(','))
    assert.ok(rels.includes('demo.order_totals'), 'views are listed')
    assert.ok(rels.includes('demo_analytics.page_views'))
    await app.browser.open('demo.order_items')
    assert.deepEqual((await app.browser.columnNames()).slice(0, 2), ['order_id', 'line_no'])
    const indexes = await app.page.getByTestId('index-list').innerText()
    assert.match(indexes, /PRIMARY KEY \(`order_id`, `line_no`\)/)
    await app.page.getByTestId('extras-ddl').click()
    assert.match(await text(app.page.getByTestId('ddl')), /^CREATE TABLE `order_items`/)
    assert.match(await app.browser.pageInfo(), /^Rows 1–100$/)
    await app.browser.nextPage()
    assert.match(await app.browser.pageInfo(), /^Rows 101–200$/)
    await shot('mysql-01-table-browser')
  })

  test('the console: two result sets, markup shown as text, a large result scrolled page by page', async () => {
    await app.console.show()
    await app.console.run(
      "SELECT 1 AS one, NULL AS nothing, '<img src=x onerror=alert(1)>' AS t; SELECT 2 AS two",
    )
    assert.equal(await app.console.tabCount(), 2)
    assert.deepEqual(await app.console.firstRowCells(), ['1', 'NULL', '<img src=x onerror=alert(1)>'])
    assert.equal(await app.page.locator('[data-testid="result-grid"] img').count(), 0)
    await app.console.run('SELECT seq AS n, MD5(seq) AS hash FROM seq_1_to_100000')
    for (let i = 0; i < 3; i++) {
      const before = await app.console.loadedRows()
      await app.console.scrollToBottom()
      await app.page.locator(`[data-testid="result-grid-count"]:not([data-rows="${before}"])`).waitFor()
    }
    const dom = await app.console.domRows()
    assert.ok(dom > 0 && dom < 80, `${dom} rows in the DOM`)
    await shot('mysql-02-console')
  })

  test('cancel stops a long statement on the server (KILL QUERY)', async () => {
    await app.console.start('SELECT SUM(a.id * b.id * c.id) FROM orders a, orders b, customers c')
    await app.page.waitForTimeout(500)
    await app.console.cancel()
    await app.console.waitIdle(30_000)
    assert.match(await app.console.errorText(), /QUERY_CANCELLED|cancelled/)
  })

  test('connection strings: the mysql client command with the CA bundle and honest TLS notes', async () => {
    await app.page.getByTestId('conn-strings').click()
    const mysql = await text(app.page.getByTestId('conn-mysql'))
    assert.match(mysql, /^mysql --host=127\.0\.0\.1 --port=\d+ --user=iam_reader --ssl --ssl-ca=\S+ demo$/)
    assert.match(await text(app.page.getByTestId('conn-jdbc')), /^jdbc:mariadb:\/\/127\.0\.0\.1:\d+\/demo\?/)
    assert.match(await app.page.getByTestId('conn-strings-dialog').innerText(), /but not the host name/)
    await shot('mysql-03-connection-strings')
    await app.tunnel.closeDialog()
  })

  test('disconnect closes the tunnel', async () => {
    await app.tunnel.disconnect()
    await app.page.getByTestId('not-connected').waitFor()
    assert.equal(await app.tunnel.state(), 'closed')
    assert.deepEqual(app.problems, [])
  })
})
