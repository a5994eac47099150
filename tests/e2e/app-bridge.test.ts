// The built renderer in real Chromium, served by the loopback bridge, driving the real engine and
// the AWS simulator: the same flows as ui-fake.test.ts, with nothing faked behind the contract.
// Screenshots of each screen land in tests/e2e/screenshots/ (look at them after UI changes).
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext } from 'playwright-core'
import { silentLogger } from '../../electron/base/logger'
import { type Bridge, startBridge } from '../../electron/bridge/bridge-server'
import type { Engine } from '../../electron/engine/engine'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'
import { readClipboard } from './support/text'

const skip = skipReason()
if (skip) console.log(`# SKIP app-bridge: ${skip}`)
const shots = join(REPO_ROOT, 'tests/e2e/screenshots')

describe('the app through the loopback bridge, real engine, simulated AWS', { skip: skip ?? false }, () => {
  let dir: string
  let engine: Engine
  let bridge: Bridge
  let browser: Browser
  let context: BrowserContext
  let app: AppPage
  let te: TestEngine

  const shot = (name: string) => app.page.screenshot({ path: join(shots, `${name}.png`) })

  before(async () => {
    te = await startTestEngine()
    dir = te.dir
    engine = te.engine
    const outDir = join(dir, 'renderer')
    await buildRenderer(outDir)
    // A target already in the store before the UI opens: the list must show it.
    await te.store.save({
      name: 'orders-prod (eu)',
      region: 'eu-central-1',
      instanceId: 'i-0123456789abcdef0',
      rdsHost: 'orders.abc123.eu-central-1.rds.amazonaws.com',
      database: 'orders',
      dbUser: 'iam_app',
      tags: ['prod'],
      color: 'red',
    })
    bridge = await startBridge({
      dispatch: createDispatcher(engine.handlers),
      bus: engine.bus,
      staticDir: outDir,
      logger: silentLogger,
    })
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: `http://127.0.0.1:${bridge.port}`,
    })
    app = new AppPage(await context.newPage())
    await app.open(bridge.url)
  })

  after(async () => {
    await context?.close()
    await browser?.close()
    await bridge?.close()
    await te?.close()
  })

  test('the UI lists the targets from the store', async () => {
    assert.deepEqual(await app.targets.names(), ['orders-prod (eu)'])
    await shot('01-targets-from-store')
  })

  test('bad fields are refused with the schema messages and nothing is saved', async () => {
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
    assert.equal(await app.targets.fieldError('rdsPort'), 'RDS port must be 1-65535')
    await shot('02-form-validation')
    await app.page.keyboard.press('Escape')
    assert.equal(await app.targets.formOpen(), false, 'Escape closes the form')
    assert.deepEqual(await app.targets.names(), ['orders-prod (eu)'], 'nothing invalid was saved')
  })

  test('connect the demo target: a real SSM session and tunnel', async () => {
    await engine.handlers.createDemoTarget(undefined)
    await app.targets.item('Demo (simulated AWS)').waitFor()
    await app.targets.select('Demo (simulated AWS)')
    await app.tunnel.connect()
    await app.tunnel.waitForState('open', 60_000)
    assert.match(await app.tunnel.stat('port'), /^127\.0\.0\.1:\d+$/)
    assert.match(await app.tunnel.stat('session'), /^porthole-dev-/)
    await shot('03-connected')
  })

  test('browse a table of the seeded database', async () => {
    await app.browser.show()
    const rels = await app.browser.relations()
    assert.ok(rels.includes('public.customers'), rels.join(','))
    assert.ok(rels.includes('public.order_totals'), 'views are listed')
    await app.browser.open('public.customers')
    assert.equal((await app.browser.columnNames())[0], 'id')
    assert.match(await app.browser.pageInfo(), /^Rows 1–100$/)
    await app.browser.nextPage()
    assert.match(await app.browser.pageInfo(), /^Rows 101–200$/)
    await shot('04-table-browser')
  })

  test('run a query and scroll a 100k-row result with a small DOM', async () => {
    await app.console.show()
    await app.console.run(
      "select 1 as one, null as nothing, '<img src=x onerror=alert(1)>' as t; select 2 as two",
    )
    assert.equal(await app.console.tabCount(), 2)
    assert.deepEqual(await app.console.firstRowCells(), ['1', 'NULL', '<img src=x onerror=alert(1)>'])
    assert.equal(await app.page.locator('[data-testid="result-grid"] img').count(), 0)
    await app.console.run('select n, md5(n::text) as hash, now() as at from generate_series(1, 100000) n')
    for (let i = 0; i < 4; i++) {
      const before = await app.console.loadedRows()
      await app.console.scrollToBottom()
      await app.page.locator(`[data-testid="result-grid-count"]:not([data-rows="${before}"])`).waitFor()
    }
    assert.ok((await app.console.loadedRows()) >= 2500)
    const dom = await app.console.domRows()
    assert.ok(dom > 0 && dom < 80, `${dom} rows in the DOM`)
    await shot('05-sql-console')
  })

  test('cancel really stops a long query on the server', async (t) => {
    if (te.sim()?.databases[0]?.upstreamKind !== 'postgres')
      return t.skip('PGlite ignores cancel requests; needs PostgreSQL')
    const started = Date.now()
    await app.console.start('select pg_sleep(60)')
    await app.page.waitForTimeout(500)
    await app.console.cancel()
    await app.console.waitIdle(15_000)
    assert.match(await app.console.errorText(), /SQLSTATE 57014.*cancel/i)
    assert.ok(Date.now() - started < 15_000)
  })

  test('a SQL error marks its position', async () => {
    await app.console.run('select 1;\nselect * from no_such_table')
    assert.equal(await app.console.errorMarkText(), 'no_such_table')
    await shot('06-sql-error')
  })

  test('copy a connection string that verifies the RDS name through 127.0.0.1', async () => {
    const psql = await app.tunnel.connectionString('psql')
    assert.match(psql, /hostaddr=127\.0\.0\.1/)
    assert.match(psql, /sslmode=verify-full/)
    await app.tunnel.copyConnectionString('psql')
    assert.equal(await readClipboard(app.page), psql)
    assert.match(await app.tunnel.tokenWarning(), /15 minutes/)
    await shot('07-connection-strings')
    await app.tunnel.closeDialog()
  })

  test('disconnect closes the tunnel', async () => {
    await app.tunnel.disconnect()
    await app.page.getByTestId('not-connected').waitFor()
    assert.equal(await app.tunnel.state(), 'closed')
    assert.deepEqual(app.problems, [])
  })
})
