// The results panel against the in-memory fake API: a result cut in a multi-statement run carries
// a visible marker, and one click runs that statement alone (then it pages with no cut); the
// Messages tab names the cut.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { AppPage } from './pages/app-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'
import { serveStatic } from './support/static-server'

const skip = skipReason()
if (skip) console.log(`# SKIP console-results-fake: ${skip}`)

describe('results panel against the fake API', { skip: skip ?? false }, () => {
  let outDir: string
  let server: Awaited<ReturnType<typeof serveStatic>>
  let browser: Browser
  let app: AppPage

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'porthole-ui-results-'))
    await buildRenderer(outDir, 'fake')
    server = await serveStatic(outDir)
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    app = new AppPage(await context.newPage())
    await app.open(server.url)
    await app.targets.addDemo()
    await app.targets.select('Demo (simulated AWS)')
    await app.tunnel.connect()
    await app.tunnel.waitForState('open')
    await app.console.show()
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    if (outDir) await rm(outDir, { recursive: true, force: true })
  })

  test('a cut result is marked, and "Run this statement alone" runs just it', async () => {
    const script = 'select * from generate_series(1, 200000);\nselect 1 as one'
    await app.console.run(script)
    assert.equal(await app.console.tabCount(), 2)
    const marker = app.page.getByTestId('result-truncated')
    await marker.waitFor()
    assert.match((await marker.textContent()) ?? '', /first 100,000 rows/)
    assert.match((await app.page.getByTestId('result-tab').first().textContent()) ?? '', /cut/)
    await app.page.screenshot({ path: join(REPO_ROOT, 'tests/e2e/screenshots/console-cut-result.png') })
    const messages = await app.console.messages()
    assert.ok(
      messages.some((m) => /Statement 1 returned more than 100,000 rows/.test(m)),
      messages.join(' | '),
    )
    await app.console.selectTab(0)
    await app.page.getByTestId('run-alone').click()
    await app.console.waitIdle()
    assert.equal(await app.console.tabCount(), 1)
    assert.equal(await marker.count(), 0)
    assert.match((await app.page.getByTestId('result-tab').first().textContent()) ?? '', /\+/)
    assert.equal(await app.console.sql(), script, 'the editor keeps the whole script')
    assert.deepEqual(app.problems, [])
  })
})
