// Shared Chromium setup for UI tests: Debian's /usr/bin/chromium driven by playwright-core, and a
// fresh renderer build. Tests skip (with a message) only when Chromium is not installed.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { swapToFakeEntry } from '../fake-app/swap-entry'

/** Where CI installs Chromium. */
export const CHROMIUM_PATH = process.env.PORTHOLE_CHROMIUM ?? '/usr/bin/chromium'

/** Why UI tests cannot run here, or null if they can. */
export function skipReason(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `Chromium not found at ${CHROMIUM_PATH} (CI installs it: apt-get install chromium)`
}

/** Repo-relative absolute paths. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const RENDERER_OUT = fileURLToPath(new URL('../../../out/renderer', import.meta.url))

/** Which renderer build: the product (real transports) or the e2e-only build over the in-memory fake. */
export type RendererFlavour = 'product' | 'fake'

/**
 * Builds the renderer into `outDir` (about a second). Tests pass a temp dir so parallel test files
 * never empty each other's output.
 */
export async function buildRenderer(
  outDir: string = RENDERER_OUT,
  flavour: RendererFlavour = 'product',
): Promise<void> {
  const { build } = await import('vite')
  await build({
    configFile: fileURLToPath(new URL('../../../renderer/vite.config.ts', import.meta.url)),
    plugins: flavour === 'fake' ? [swapToFakeEntry] : [],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  })
}

/** Launches headless Chromium with the flags that keep it quiet and offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
