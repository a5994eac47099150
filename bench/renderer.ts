// Renderer: production bundle size (raw and gzip) and first paint of the app in Chromium, served
// from the build over loopback with the in-memory fake API (no engine in the way).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { buildRenderer, launchChromium, skipReason } from '../tests/e2e/support/browser'
import { serveStatic } from '../tests/e2e/support/static-server'
import { fixed, report } from './bench-lib'

const out = await mkdtemp(join(tmpdir(), 'porthole-bench-ui-'))
await buildRenderer(out)
const files = readdirSync(join(out, 'assets')).map((f) => join(out, 'assets', f))
const raw = files.reduce((n, f) => n + statSync(f).size, 0)
const gz = files.reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0)
const row: Record<string, string | number> = { 'assets KB': fixed(raw / 1024), 'gzip KB': fixed(gz / 1024) }
const skip = skipReason()
if (!skip) {
  const server = await serveStatic(out)
  const browser = await launchChromium()
  const paints: number[] = []
  for (let i = 0; i < 5; i++) {
    const page = await browser.newPage()
    await page.goto(`${server.url}?fake`)
    await page.locator('[data-testid="target-list"]').waitFor()
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    )
    paints.push(fcp)
    await page.close()
  }
  await browser.close()
  await server.close()
  paints.sort((a, b) => a - b)
  row['first contentful paint ms (median of 5)'] = fixed(paints[2] ?? Number.NaN)
}
await rm(out, { recursive: true, force: true })
report('renderer', [row], skip ? [`first paint skipped: ${skip}`] : [])
