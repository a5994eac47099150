// Issue 10's defects in the built UI (Chromium, loopback bridge, real engine, simulated AWS):
// exporting `insert … returning` inserts nothing, the first result of `select * from orders;
// select 1` pages to all 5,000 rows, notices show in the Messages view, the prefilled SQL runs,
// errors show their SQLSTATE, and Disconnect asks while a result is open.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { silentLogger } from '../../electron/base/logger'
import { type Bridge, startBridge } from '../../electron/bridge/bridge-server'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'

const skip = skipReason()
if (skip) console.log(`# SKIP console-data-safety: ${skip}`)
const shots = join(REPO_ROOT, 'tests/e2e/screenshots')

describe('console data safety in the UI, real engine', { skip: skip ?? false }, () => {
  let te: TestEngine
  let bridge: Bridge
  let browser: Browser
  let app: AppPage

  before(async () => {
    te = await startTestEngine()
    const outDir = join(te.dir, 'renderer')
    await buildRenderer(outDir)
    await te.engine.handlers.createDemoTarget(undefined)
    bridge = await startBridge({
      dispatch: createDispatcher(te.engine.handlers),
      bus: te.engine.bus,
      staticDir: outDir,
      logger: silentLogger,
    })
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    app = new AppPage(await context.newPage())
    await app.open(bridge.url)
    await app.targets.select('Demo (simulated AWS)')
    await app.tunnel.connect()
    await app.tunnel.waitForState('open', 60_000)
    await app.console.show()
  })

  after(async () => {
    await browser?.close()
    await bridge?.close()
    await te?.close()
  })

  test('the prefilled SQL runs on the demo database', async () => {
    // Run all: the Run button runs the statement under the cursor.
    await app.page.getByTestId('run-all').click()
    await app.console.waitIdle(60_000)
    assert.equal(await app.console.errorText(), '')
    assert.equal(await app.console.tabCount(), 2)
  })

  test('exporting the result of insert … returning inserts nothing', async () => {
    await app.console.run(
      `create temp table if not exists probe (id serial primary key, v float8);
insert into probe (v) select random() from generate_series(1, 3) returning id, v`,
    )
    assert.equal(await app.console.errorText(), '')
    await app.console.selectTab(1)
    assert.equal(await app.console.loadedRows(), 3)
    const shown = await app.console.firstRowCells()
    const toast = await app.console.exportCsv()
    const path = /to (\S+\.csv)/.exec(toast)?.[1]
    assert.ok(path, toast)
    assert.ok(path.startsWith(join(te.dir, 'exports')), path)
    assert.equal(readFileSync(path, 'utf8').split('\r\n')[1], shown.join(','))
    await app.console.run('select count(*) as n from pg_temp.probe')
    assert.deepEqual(await app.console.firstRowCells(), ['3'])
  })

  test('select * from orders; select 1: the first result pages to its end; notices in Messages', async () => {
    await app.console.run(
      "do $$ begin raise notice 'orders are next'; end $$;\nselect * from orders;\nselect 1 as one",
    )
    assert.equal(await app.console.tabCount(), 3)
    await app.console.selectTab(1)
    for (let loaded = await app.console.loadedRows(); loaded < 5000; ) {
      await app.console.scrollToBottom()
      await app.page.locator(`[data-testid="result-grid-count"]:not([data-rows="${loaded}"])`).waitFor()
      loaded = await app.console.loadedRows()
    }
    assert.equal(await app.console.loadedRows(), 5000)
    const messages = await app.console.messages()
    assert.ok(messages.includes('NOTICE: orders are next'), messages.join(' | '))
    assert.ok(
      messages.some((m) => /^Statement 2: SELECT · 5,000 rows/.test(m)),
      messages.join(' | '),
    )
    await app.page.screenshot({ path: join(shots, 'console-messages.png') })
    await app.console.selectTab(1)
    await app.page.screenshot({ path: join(shots, 'console-multi-result.png') })
  })

  test('an error shows its SQLSTATE, not an internal code', async () => {
    await app.console.run('select nosuch from orders')
    assert.equal(await app.console.errorCode(), 'SQLSTATE 42703')
    assert.doesNotMatch(await app.console.errorText(), /SQL_ERROR/)
  })

  test('Disconnect asks while a result is still open, and Stay connected keeps the tunnel', async () => {
    await app.console.run('select g from generate_series(1, 100000) g')
    await app.page.getByTestId('disconnect').click()
    const impact = app.page.getByTestId('disconnect-impact')
    await impact.waitFor()
    assert.match((await impact.textContent()) ?? '', /1 result has more rows/)
    await app.page.getByTestId('keep-connected').click()
    assert.equal(await app.tunnel.state(), 'open')
    await app.tunnel.disconnect()
    assert.deepEqual(app.problems, [])
  })
})
