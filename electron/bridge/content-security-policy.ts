// The Content-Security-Policy for the renderer, one generator for both shells: the loopback bridge
// sends it as a header, the Electron window adds it through session.webRequest (checklist item 7).
// Development relaxations (Vite's dev server, HMR) live in one function, so the production policy
// stays readable and testable on its own. Boundary Desktop's content-security-policy.js habit.

export interface CspOptions {
  /** Extra connect-src sources, e.g. the bridge's ws://127.0.0.1:PORT. */
  connectSrc?: string[]
  /** Vite dev server origin (http://localhost:5173) when running `electron-vite dev`; never in production. */
  devServer?: string
}

type Directives = Record<string, string[]>

/** Builds the CSP header value. Without `devServer` this is the production policy. */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: Directives = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    // CodeMirror (style-mod) injects <style> elements into the document; without a nonce plumbed
    // through every editor, inline styles must be allowed. Scripts stay strict.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(options.connectSrc ?? [])],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'self'"],
  }
  if (options.devServer) devRelaxations(directives, options.devServer)
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ')
}

/** Vite dev mode only: the dev server's scripts, its inline React refresh preamble, and HMR socket. */
function devRelaxations(directives: Directives, devServer: string): void {
  const ws = devServer.replace(/^http/, 'ws')
  directives['script-src']?.push(devServer, "'unsafe-inline'")
  directives['style-src']?.push(devServer)
  directives['connect-src']?.push(devServer, ws)
  directives['img-src']?.push(devServer)
}
