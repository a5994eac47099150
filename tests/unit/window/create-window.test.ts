import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { BrowserWindow, Session } from 'electron'
import { isSameOrigin, originOf } from '../../../electron/window/app-origin'
import { createMainWindow } from '../../../electron/window/create-window'

type Handler = (...args: unknown[]) => unknown

/** Records everything the factory does to a window and a session, the way Electron would see it. */
function fakes() {
  const record = {
    options: undefined as Record<string, unknown> | undefined,
    contentsHandlers: new Map<string, Handler>(),
    windowOnce: new Map<string, Handler>(),
    openHandler: undefined as Handler | undefined,
    loaded: [] as string[],
    shown: 0,
    permissionRequest: undefined as Handler | undefined,
    permissionCheck: undefined as Handler | undefined,
    devicePermission: undefined as Handler | undefined,
    headersReceived: undefined as Handler | undefined,
  }
  class FakeWindow {
    webContents = {
      on: (name: string, handler: Handler) => record.contentsHandlers.set(name, handler),
      setWindowOpenHandler: (handler: Handler) => {
        record.openHandler = handler
      },
    }
    constructor(options: Record<string, unknown>) {
      record.options = options
    }
    once(name: string, handler: Handler) {
      record.windowOnce.set(name, handler)
    }
    show() {
      record.shown++
    }
    async loadURL(url: string) {
      record.loaded.push(url)
    }
  }
  const session = {
    setPermissionRequestHandler: (h: Handler) => {
      record.permissionRequest = h
    },
    setPermissionCheckHandler: (h: Handler) => {
      record.permissionCheck = h
    },
    setDevicePermissionHandler: (h: Handler) => {
      record.devicePermission = h
    },
    webRequest: {
      onHeadersReceived: (h: Handler) => {
        record.headersReceived = h
      },
    },
  }
  return {
    record,
    BrowserWindow: FakeWindow as unknown as typeof BrowserWindow,
    session: session as unknown as Session,
  }
}

function navigate(handler: Handler | undefined, url: string): boolean {
  let prevented = false
  handler?.({ preventDefault: () => (prevented = true) }, url)
  return prevented
}

describe('hardened window factory', () => {
  const f = fakes()
  createMainWindow({
    BrowserWindow: f.BrowserWindow,
    session: f.session,
    preloadPath: '/app/out/preload/index.cjs',
    appUrl: 'app://porthole/index.html',
  })
  const prefs = f.record.options?.webPreferences as Record<string, unknown>

  it('sets every secure webPreference', () => {
    assert.equal(prefs.contextIsolation, true)
    assert.equal(prefs.sandbox, true)
    assert.equal(prefs.nodeIntegration, false)
    assert.equal(prefs.nodeIntegrationInWorker, false)
    assert.equal(prefs.nodeIntegrationInSubFrames, false)
    assert.equal(prefs.webSecurity, true)
    assert.equal(prefs.allowRunningInsecureContent, false)
    assert.equal(prefs.experimentalFeatures, false)
    assert.equal(prefs.webviewTag, false)
    assert.equal(prefs.navigateOnDragDrop, false)
    assert.equal('enableBlinkFeatures' in prefs, false)
    assert.equal(prefs.preload, '/app/out/preload/index.cjs')
    assert.equal(f.record.options?.show, false)
  })

  it('loads the app from the custom protocol and shows when ready', () => {
    assert.deepEqual(f.record.loaded, ['app://porthole/index.html'])
    f.record.windowOnce.get('ready-to-show')?.()
    assert.equal(f.record.shown, 1)
  })

  it('blocks navigation and redirects off our origin, comparing parsed origins', () => {
    for (const event of ['will-navigate', 'will-redirect']) {
      const handler = f.record.contentsHandlers.get(event)
      assert.ok(handler, `${event} handler installed`)
      assert.equal(navigate(handler, 'app://porthole/other.html'), false)
      assert.equal(navigate(handler, 'https://evil.example/'), true)
      assert.equal(navigate(handler, 'app://porthole.evil.example/'), true)
      assert.equal(navigate(handler, 'app://porthole@evil.example/'), true)
      assert.equal(navigate(handler, 'file:///etc/passwd'), true)
      assert.equal(navigate(handler, 'not a url'), true)
    }
  })

  it('denies window.open and prevents webview attachment', () => {
    assert.deepEqual(f.record.openHandler?.({ url: 'https://example.com' }), { action: 'deny' })
    assert.equal(navigate(f.record.contentsHandlers.get('will-attach-webview'), ''), true)
  })

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: unknown = 'unanswered'
      f.record.permissionRequest?.({}, permission, (g: boolean) => {
        granted = g
      })
      assert.equal(granted, false, permission)
      assert.equal(f.record.permissionCheck?.({}, permission, 'app://porthole'), false)
    }
    assert.equal(f.record.devicePermission?.({}), false)
  })

  it('adds a strict CSP to every response, with no dev relaxations in production', () => {
    let headers: Record<string, string[]> = {}
    f.record.headersReceived?.(
      { responseHeaders: { 'X-Other': ['1'] } },
      (r: { responseHeaders: typeof headers }) => {
        headers = r.responseHeaders
      },
    )
    assert.deepEqual(headers['X-Other'], ['1'])
    const csp = headers['Content-Security-Policy']?.[0] ?? ''
    assert.match(csp, /default-src 'none'/)
    assert.match(csp, /script-src 'self';/)
    assert.match(csp, /object-src 'none'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-eval|localhost/)
  })

  it('dev mode relaxes the CSP only for the dev server', () => {
    const dev = fakes()
    createMainWindow({
      BrowserWindow: dev.BrowserWindow,
      session: dev.session,
      preloadPath: '/p.cjs',
      appUrl: 'http://localhost:5173/',
      devServer: 'http://localhost:5173',
    })
    let csp = ''
    dev.record.headersReceived?.(
      { responseHeaders: {} },
      (r: { responseHeaders: Record<string, string[]> }) => {
        csp = r.responseHeaders['Content-Security-Policy']?.[0] ?? ''
      },
    )
    assert.match(csp, /script-src 'self' http:\/\/localhost:5173 'unsafe-inline'/)
    assert.match(csp, /connect-src 'self' http:\/\/localhost:5173 ws:\/\/localhost:5173/)
    assert.equal(navigate(dev.record.contentsHandlers.get('will-navigate'), 'http://localhost:5173/x'), false)
    assert.equal(navigate(dev.record.contentsHandlers.get('will-navigate'), 'http://localhost:5174/'), true)
  })

  it('originOf handles app:// where URL.origin is "null"', () => {
    assert.equal(new URL('app://porthole/x').origin, 'null')
    assert.equal(originOf('app://porthole/x'), 'app://porthole')
    assert.equal(isSameOrigin('app://porthole/a?b#c', 'app://porthole'), true)
    assert.equal(isSameOrigin('app://other/', 'app://porthole'), false)
  })
})
