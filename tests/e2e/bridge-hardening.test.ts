// Issue 11 item 7: the bridge token arrives in the URL fragment and must leave the address bar and
// the history entry once the page has read it; the page keeps working (and survives a reload).
// Item 6 (UI): importing a file shows a preview step before anything changes. Real engine, real
// Chromium, the product renderer over the loopback bridge.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { EventBus } from '../../electron/base/event-bus'
import { silentLogger } from '../../electron/base/logger'
import { type Bridge, startBridge } from '../../electron/bridge/bridge-server'
import { createEngine, type Engine } from '../../electron/engine/engine'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { openConfTargetStore } from '../../electron/store/conf-target-store'
import { buildRenderer, launchChromium, skipReason } from './support/browser'

const skip = skipReason()

describe('bridge token in the URL, import preview', { skip: skip ?? false }, () => {
  let dir: string
  let engine: Engine
  let bridge: Bridge
  let browser: Browser
  let page: Page

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-token-url-'))
    await buildRenderer(join(dir, 'renderer'))
    const store = openConfTargetStore({ dir: join(dir, 'store') })
    await store.save({
      name: 'token-check',
      region: 'eu-west-1',
      instanceId: 'i-0123456789abcdef0',
      rdsHost: 'db.abc123.eu-west-1.rds.amazonaws.com',
      database: 'app',
      dbUser: 'reader',
    })
    const bus = new EventBus()
    engine = createEngine({ store, bus, logger: silentLogger, shell: 'web', version: '0.0.0-test' })
    bridge = await startBridge({
      dispatch: createDispatcher(engine.handlers),
      bus,
      staticDir: join(dir, 'renderer'),
      logger: silentLogger,
    })
    browser = await launchChromium()
    page = await (await browser.newContext()).newPage()
  })
  after(async () => {
    await browser?.close()
    await bridge?.close()
    await engine?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const listed = () =>
    page
      .getByTestId('target-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-target-name') ?? ''))

  test('after load the address bar and history entry hold no token, and the API works', async () => {
    assert.match(bridge.url, /#token=/)
    await page.goto(bridge.url)
    // Wait for a state (the list from the engine), not a time.
    await page.getByTestId('target-item').first().waitFor()
    assert.deepEqual(await listed(), ['token-check'])
    const where = (await page.evaluate('({ href: location.href, hash: location.hash })')) as {
      href: string
      hash: string
    }
    assert.equal(where.hash, '')
    assert.equal(where.href, `http://127.0.0.1:${bridge.port}/`)
    assert.ok(!where.href.includes(bridge.token))
    // The entry was replaced in place: no history entry carries the token either.
    assert.equal(
      await page.evaluate('history.state === null || !JSON.stringify(history.state).includes("token")'),
      true,
    )
  })

  test('a reload of the token-less URL still reaches the engine (same tab)', async () => {
    await page.reload()
    await page.getByTestId('target-item').first().waitFor()
    assert.deepEqual(await listed(), ['token-check'])
    assert.ok(!page.url().includes(bridge.token))
  })

  test('importing a file shows added / updated / unchanged first, and Cancel changes nothing', async () => {
    const exported = JSON.parse((await engine.handlers.exportTargets(undefined)).json) as {
      targets: Array<Record<string, unknown>>
    }
    const file = {
      porthole: 'targets',
      version: 1,
      targets: [
        { ...exported.targets[0], region: 'us-east-1' },
        {
          name: 'from-file',
          region: 'eu-west-1',
          instanceId: 'i-0123456789abcdef0',
          rdsHost: 'db.abc123.eu-west-1.rds.amazonaws.com',
          database: 'app',
          dbUser: 'reader',
        },
      ],
    }
    const upload = {
      name: 'targets.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    }
    await page.getByTestId('import-file').setInputFiles(upload)
    const dialog = page.getByTestId('import-preview')
    await dialog.waitFor()
    assert.equal(
      await page.getByTestId('import-summary').textContent(),
      '1 to add, 1 to update, 0 unchanged.',
    )
    assert.match((await page.getByTestId('import-updated').textContent()) ?? '', /token-check — region/)
    assert.match((await page.getByTestId('import-added').textContent()) ?? '', /from-file/)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    assert.deepEqual(
      (await engine.handlers.listTargets(undefined)).map((t) => [t.name, t.region]),
      [['token-check', 'eu-west-1']],
    )
    // The same file again, confirmed this time: the list shows the new target.
    await page.getByTestId('import-file').setInputFiles(upload)
    await page.getByTestId('confirm-import').click()
    await page.locator('[data-target-name="from-file"]').waitFor()
    assert.deepEqual(await listed(), ['from-file', 'token-check'])
    assert.equal(
      (await engine.handlers.listTargets(undefined)).find((t) => t.name === 'token-check')?.region,
      'us-east-1',
    )
  })
})
