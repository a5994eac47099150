// Issue 10: editor tabs (with their text), saved queries, query history and the theme survive a
// restart. The built UI in Chromium drives the real engine through the loopback bridge; then the
// engine and bridge stop, start again over the same data dir (on a new port, so the page's
// localStorage is gone too), and a fresh page must find everything back. Also: the banner that
// says the backend is gone, and that history never holds a token.
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { silentLogger } from '../../electron/base/logger'
import { type Bridge, startBridge } from '../../electron/bridge/bridge-server'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'

const shots = join(REPO_ROOT, 'tests/e2e/screenshots')
const skip = skipReason()
if (skip) console.log(`# SKIP console-restart-bridge: ${skip}`)

describe('console workspace across an engine restart', { skip: skip ?? false }, () => {
  let dataDir: string
  let outDir: string
  let browser: Browser
  let te: TestEngine | null = null
  let bridge: Bridge | null = null

  const start = async (): Promise<AppPage> => {
    te = await startTestEngine({ dir: dataDir })
    bridge = await startBridge({
      dispatch: createDispatcher(te.engine.handlers),
      bus: te.engine.bus,
      staticDir: outDir,
      logger: silentLogger,
    })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const app = new AppPage(await context.newPage())
    await app.open(bridge.url)
    return app
  }
  const stop = async (app: AppPage) => {
    await app.page.context().close()
    await bridge?.close()
    await te?.close()
    bridge = null
    te = null
  }
  const openConsole = async (app: AppPage) => {
    await app.targets.select('Demo (simulated AWS)')
    await app.tunnel.connect()
    await app.tunnel.waitForState('open', 60_000)
    await app.console.show()
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'porthole-restart-'))
    outDir = join(dataDir, 'renderer')
    await buildRenderer(outDir)
    browser = await launchChromium()
  })

  after(async () => {
    await bridge?.close()
    await te?.close()
    await browser?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  test('tabs, saved queries, history and theme come back after a restart', async () => {
    let app = await start()
    await te!.engine.handlers.createDemoTarget(undefined)
    await app.targets.item('Demo (simulated AWS)').waitFor()
    await openConsole(app)
    await app.console.setSql('select count(*) as n from customers')
    await app.page.keyboard.press('ControlOrMeta+Enter')
    await app.console.waitIdle()
    await app.page.getByTestId('result-grid').waitFor()
    await app.console.newEditorTab()
    await app.console.setSql('select 42 as answer;\n-- second tab')
    await app.console.saveQuery('the answer')
    await app.console.run(
      "select 'postgres.example:5432/?Action=connect&DBUser=x&X-Amz-Signature=deadbeef' as t",
    )
    await app.page.getByTestId('theme-toggle').click() // system → light
    await app.page.getByTestId('theme-toggle').click() // light → dark
    await app.console.setSql('select 42 as answer;\n-- second tab')
    await app.console.waitTabsSaved()
    assert.deepEqual(app.problems, [])

    // The backend goes away: the page says so instead of failing silently.
    await bridge!.close()
    await app.page.getByTestId('backend-banner').waitFor()
    await stop(app)

    // History on disk never holds the token-shaped text the user ran.
    const files = await readdir(join(dataDir, 'history'))
    const raw = await readFile(join(dataDir, 'history', files[0]!), 'utf8')
    assert.ok(!raw.includes('deadbeef'), raw)
    assert.match(raw, /select count\(\*\) as n from customers/)

    app = await start()
    assert.equal(await app.page.locator('html').getAttribute('data-theme'), 'dark')
    await openConsole(app)
    assert.deepEqual(await app.console.editorTabs(), ['Query 1', 'Query 2'])
    assert.equal(await app.console.activeEditorTab(), 'Query 2')
    assert.equal(await app.console.sql(), 'select 42 as answer;\n-- second tab')
    await app.console.selectEditorTab('Query 1')
    assert.equal(await app.console.sql(), 'select count(*) as n from customers')
    assert.deepEqual(await app.console.savedQueries(), ['the answer'])
    const history = await app.console.history()
    assert.equal(history.length, 2, history.join(' | '))
    assert.equal(history[1], 'select count(*) as n from customers')
    assert.match(history[0] ?? '', /<iam-token redacted>/)
    await app.console.pickHistory(1)
    assert.equal(await app.console.sql(), 'select count(*) as n from customers')
    assert.deepEqual(app.problems, [])
    await stop(app)
  })

  test('EXPLAIN ANALYZE draws a tree with rows and times and keeps no changes', async () => {
    const app = await start()
    await openConsole(app)
    await app.console.setSql(
      "update orders set status = status where id in (select id from orders where status = 'shipped' limit 50)",
    )
    await app.page.getByTestId('explain-analyze').click()
    await app.page.getByTestId('explain-node').first().waitFor({ timeout: 60_000 })
    const nodes = await app.page
      .getByTestId('explain-node')
      .evaluateAll((els) =>
        els.map((e) => ({ depth: Number(e.getAttribute('data-depth')), text: e.textContent ?? '' })),
      )
    assert.match(nodes[0]?.text ?? '', /^▾Update on orders/)
    assert.ok(
      nodes.some((n) => n.depth >= 2),
      JSON.stringify(nodes),
    )
    assert.match(
      await app.page.getByTestId('explain-times').innerText(),
      /planning [\d.]+ ms · execution [\d.]+ ms · changes rolled back/,
    )
    const self = await app.page.getByTestId('explain-self').allInnerTexts()
    assert.ok(
      self.every((t) => /^\d+\.\d+$/.test(t)),
      self.join(','),
    )
    await app.page.screenshot({ path: join(shots, 'explain-analyze.png') })
    await app.page.getByTestId('close-explain').click()
    await app.page.getByTestId('explain').click()
    await app.page.getByTestId('explain-node').first().waitFor()
    assert.equal(
      await app.page.getByTestId('explain-self').first().innerText(),
      '',
      'plain EXPLAIN has no timings',
    )
    await app.page.getByTestId('close-explain').click()

    // The table browser: constraints, DDL and an exact count on demand.
    await app.browser.show()
    await app.browser.open('public.orders')
    await app.page.getByTestId('count-rows').click()
    const count = await app.page.getByTestId('exact-count')
    await app.page.locator('[data-testid="exact-count"]', { hasText: 'rows exactly' }).waitFor()
    assert.match(await count.innerText(), /^[\d,]+ rows exactly/)
    assert.ok((await app.page.getByTestId('index-list').innerText()).includes('orders_pkey'))
    await app.page.getByTestId('extras-constraints').click()
    assert.match(await app.page.getByTestId('constraint-list').innerText(), /PRIMARY KEY \(id\)/)
    await app.page.getByTestId('extras-ddl').click()
    assert.match(await app.page.getByTestId('ddl').innerText(), /^CREATE TABLE public\.orders \(/)
    await app.page.screenshot({ path: join(shots, 'table-browser-ddl.png') })
    assert.deepEqual(app.problems, [])
    await stop(app)
  })
})
