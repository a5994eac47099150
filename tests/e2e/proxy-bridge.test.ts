// Issue 17 in the built UI through the loopback bridge, real engine and simulator: start the demo
// target's proxy, reveal the local secret, see an outside tool appear as a client, and find the
// proxy strings leading the connection strings dialog with the direct ones under "Advanced"; the
// same for the MySQL demo target (mysql strings with the option file) when MariaDB runs.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import mysql from 'mysql2/promise'
import pg from 'pg'
import type { Browser } from 'playwright-core'
import { silentLogger } from '../../electron/base/logger'
import { type Bridge, startBridge } from '../../electron/bridge/bridge-server'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { DEMO_MYSQL } from '../../shared/demo'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { mysqlSkipReason } from '../integration/mysql-support'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'

const skip = skipReason()
if (skip) console.log(`# SKIP proxy-bridge: ${skip}`)

describe('the local auth proxy in the UI', { skip: skip ?? false }, () => {
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
  })
  after(async () => {
    await browser?.close()
    await bridge?.close()
    await te?.close()
  })

  test('start, secret on request, a tool as a client, strings lead with the proxy', async () => {
    const page = app.page
    await app.targets.item('Demo (simulated AWS)').waitFor()
    await app.targets.select('Demo (simulated AWS)')
    await page.getByTestId('proxy-start').click()
    const address = page.getByTestId('proxy-address')
    await address.waitFor({ timeout: 60_000 })
    const port = Number(/:(\d+)$/.exec((await address.textContent()) ?? '')?.[1])
    assert.ok(port > 0)

    assert.equal(await page.getByTestId('proxy-secret').textContent(), '••••••••')
    await page.getByTestId('proxy-secret-toggle').click()
    const target = (await te.store.list())[0] ?? assert.fail('no target')
    const { secret } = await te.engine.handlers.getProxySecret({ targetId: target.id })
    await page.getByTestId('proxy-secret').getByText(secret).waitFor()

    const tool = new pg.Client({
      host: '127.0.0.1',
      port,
      user: target.dbUser,
      database: target.database,
      password: secret,
      application_name: 'DBeaver 25.1',
    })
    await tool.connect()
    await tool.query('select 1')
    await page.getByTestId('proxy-client').getByText('DBeaver 25.1').waitFor({ timeout: 30_000 })

    await page.getByTestId('conn-strings').click()
    const psql = page.getByTestId('conn-proxy-psql')
    await psql.waitFor()
    assert.match(
      (await psql.textContent()) ?? '',
      new RegExp(`PGPASSFILE=.* psql 'host=127\\.0\\.0\\.1 port=${port} `),
    )
    assert.equal(
      await page.getByTestId('conn-psql').isVisible(),
      false,
      'direct strings are folded under Advanced',
    )
    await page.screenshot({ path: join(REPO_ROOT, 'tests/e2e/screenshots/proxy-conn-strings.png') })
    await page.keyboard.press('Escape')
    await page.getByTestId('conn-strings-dialog').waitFor({ state: 'hidden' })
    await page
      .getByTestId('proxy-panel')
      .screenshot({ path: join(REPO_ROOT, 'tests/e2e/screenshots/proxy-panel.png') })
    await tool.end()
    await page.getByTestId('proxy-clients').getByText('No clients connected').waitFor({ timeout: 30_000 })
  })

  test('a MySQL target: its proxy, a mysql2 tool as a client, the mysql strings lead', async (t) => {
    const noMySql = await mysqlSkipReason()
    if (noMySql) return t.skip(noMySql)
    const page = app.page
    await app.targets.item(DEMO_MYSQL.targetName).waitFor()
    await app.targets.select(DEMO_MYSQL.targetName)
    // The PostgreSQL target's secret was revealed above; it must not show for this target.
    assert.equal(await page.getByTestId('proxy-secret').count(), 0, 'no secret before this proxy starts')
    await page.getByTestId('proxy-start').click()
    const address = page.getByTestId('proxy-address')
    await address.waitFor({ timeout: 60_000 })
    const port = Number(/:(\d+)$/.exec((await address.textContent()) ?? '')?.[1])
    assert.match((await page.getByTestId('proxy-auth').textContent()) ?? '', /option file/)
    assert.equal(await page.getByTestId('proxy-secret').textContent(), '••••••••', 'hidden until asked')
    const target =
      (await te.store.list()).find((x) => x.name === DEMO_MYSQL.targetName) ?? assert.fail('no MySQL target')
    const { secret } = await te.engine.handlers.getProxySecret({ targetId: target.id })
    const tool = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: target.dbUser,
      password: secret,
      connectAttributes: { program_name: 'DataGrip 2025.2' },
    })
    await tool.query('select 1')
    await page.getByTestId('proxy-client').getByText('DataGrip 2025.2').waitFor({ timeout: 30_000 })
    // The client was listed before its upstream login; the count catches up with the token it signed.
    await page
      .getByTestId('proxy-auth')
      .getByText(/\b1 IAM token signed/)
      .waitFor({ timeout: 30_000 })
    await page.screenshot({ path: join(REPO_ROOT, 'tests/e2e/screenshots/proxy-mysql-panel.png') })
    await page.getByTestId('conn-strings').click()
    const row = page.getByTestId('conn-proxy-mysql')
    await row.waitFor()
    assert.match(
      (await row.textContent()) ?? '',
      new RegExp(`^mysql --defaults-extra-file=\\S+\\.my\\.cnf -h 127\\.0\\.0\\.1 -P ${port} `),
    )
    await page.getByTestId('conn-proxy-socket').waitFor()
    await page.getByTestId('conn-proxy-jdbc').waitFor()
    await page.screenshot({ path: join(REPO_ROOT, 'tests/e2e/screenshots/proxy-mysql-conn-strings.png') })
    await page.keyboard.press('Escape')
    await page.getByTestId('conn-strings-dialog').waitFor({ state: 'hidden' })
    await tool.end()
    await page.getByTestId('proxy-clients').getByText('No clients connected').waitFor({ timeout: 30_000 })
  })
})
