// Whether to load the renderer from a Vite dev server instead of app://porthole. A URL in the
// environment alone is not enough (issue 11 item 9): any process that can set ELECTRON_RENDERER_URL
// for an unpackaged build (a shell profile, a wrapper script) would otherwise point a window that
// holds the preload's API at a page of its choosing. It takes all three: an unpackaged app, an
// explicit PORTHOLE_DEV=1 (or --porthole-dev), and a plain-http loopback URL.

export interface DevServerInput {
  isPackaged: boolean
  env: Record<string, string | undefined>
  argv: readonly string[]
}

/** The dev server origin to load, or undefined for the packaged app:// renderer. */
export function devServerUrl(input: DevServerInput): string | undefined {
  if (input.isPackaged) return undefined
  const flagged = input.env.PORTHOLE_DEV === '1' || input.argv.includes('--porthole-dev')
  const url = input.env.ELECTRON_RENDERER_URL
  if (!flagged || !url) return undefined
  return isLoopbackHttp(url) ? url : undefined
}

function isLoopbackHttp(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
  } catch {
    return false
  }
}
