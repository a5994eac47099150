// Serves the built renderer from app://porthole (checklist item 18: a custom protocol instead of
// file://, so the page has a real origin, no access to other files, and CSP 'self' means us).
import { pathToFileURL } from 'node:url'
import type { Net, Protocol } from 'electron'
import { resolveStaticPath } from '../bridge/static-files'
import { APP_HOST, APP_SCHEME } from './app-origin'

/** Must run before app `ready`: makes app:// standard and secure so it behaves like https. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Answers app://porthole/<path> from `rendererDir`, path-traversal safe, with the CSP header. */
export function serveAppProtocol(protocol: Protocol, net: Net, rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 })
    const file = resolveStaticPath(rendererDir, url.pathname)
    if (!file) return new Response('Forbidden', { status: 403 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    // webRequest does not see custom-protocol responses in every Electron version; set it here too.
    headers.set('Content-Security-Policy', csp)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
