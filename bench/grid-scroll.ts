// Result grid at a million rows in headless Chromium: the real ResultGrid over generated rows
// (bench/grid-app), with and without the scaled scroll space. For each case: mount time, frame
// time of 200 jumps across the whole result (scroll → two animation frames), JS heap, DOM rows,
// and how many jumps drew rows in the wrong place or left a gap (checked in the page against the
// row index the scrollbar position implies). BENCH_GRID_ROWS=1000000,2000000 to change sizes.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import { launchChromium, skipReason } from '../tests/e2e/support/browser'
import { serveStatic } from '../tests/e2e/support/static-server'
import { fixed, percentile, report } from './bench-lib'

const skip = skipReason()
if (skip) {
  report('grid-scroll', [{ skipped: skip }])
  process.exit(0)
}
const sizes = (process.env.BENCH_GRID_ROWS ?? '1000000,2000000').split(',').map(Number)
const productEntry = fileURLToPath(new URL('../renderer/src/main.tsx', import.meta.url))
const benchEntry = fileURLToPath(new URL('./grid-app/grid-main.tsx', import.meta.url))
const swapEntry: Plugin = {
  name: 'porthole-bench-grid-entry',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
    return resolved?.id === productEntry ? benchEntry : null
  },
}

const out = await mkdtemp(join(tmpdir(), 'porthole-bench-grid-'))
const { build } = await import('vite')
await build({
  configFile: fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url)),
  plugins: [swapEntry],
  logLevel: 'warn',
  build: { outDir: out, emptyOutDir: true },
})
const server = await serveStatic(out)
const browser = await launchChromium()
const rows: Array<Record<string, string | number>> = []
const notes: string[] = []
try {
  for (const count of sizes) {
    for (const variant of ['scaled (now)', 'unscaled (before)'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true })
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Performance.enable')
      const maxpx = variant.startsWith('unscaled') ? '&maxpx=1000000000000' : ''
      await page.goto(`${server.url}?rows=${count}${maxpx}`, { waitUntil: 'commit' })
      await page.waitForFunction('window.__gridMountMs !== undefined', undefined, { timeout: 120_000 })
      const mountMs = Number(await page.evaluate('window.__gridMountMs'))
      const r = (await page.evaluate('window.__gridBench(200)')) as {
        scrollHeight: number
        frameMs: number[]
        wrong: number
        firstProblem: string | null
        lastRowReached: boolean
        lastDrawn: number
        domRows: number
      }
      const metrics = (await cdp.send('Performance.getMetrics')).metrics
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN
      rows.push({
        rows: count.toLocaleString('en-US'),
        grid: variant,
        'scroll px': r.scrollHeight.toLocaleString('en-US'),
        'mount ms': fixed(mountMs, 0),
        'jump→paint median ms': fixed(percentile(r.frameMs, 50)),
        'p95 ms': fixed(percentile(r.frameMs, 95)),
        'JS heap MB': fixed(heap / 1e6, 0),
        'DOM rows': r.domRows,
        'wrong jumps / 201': r.wrong,
        'last row drawn': r.lastRowReached ? 'yes' : `no (${(r.lastDrawn + 1).toLocaleString('en-US')})`,
      })
      if (r.firstProblem) notes.push(`${count} rows, ${variant}: first problem: ${r.firstProblem}`)
      await page.close()
    }
  }
} finally {
  await browser.close()
  await server.close()
  await rm(out, { recursive: true, force: true })
}
report('grid-scroll', rows, notes)
