// The one hardened BrowserWindow factory. Electron's constructor and session are injected so a
// test under plain Node can assert every option and handler with fakes. Each line names the item
// of the Electron security checklist it satisfies (electronjs.org/docs/latest/tutorial/security).
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron'
import { contentSecurityPolicy } from '../bridge/content-security-policy'
import { isSameOrigin, originOf } from './app-origin'

export interface CreateWindowOptions {
  /** Electron's BrowserWindow class (a fake in tests). */
  BrowserWindow: typeof BrowserWindow
  /** The session the window uses (session.defaultSession). */
  session: Session
  /** Absolute path of the bundled CJS preload. */
  preloadPath: string
  /** What to load: app://porthole/index.html in production, the Vite dev server in development. */
  appUrl: string
  /** Vite dev server origin when running `electron-vite dev`; enables the isolated CSP relaxations. */
  devServer?: string
}

/** Creates the main window with every hardening applied before any content loads. */
export function createMainWindow(options: CreateWindowOptions): BrowserWindow {
  const appOrigin = originOf(options.appUrl)
  if (!appOrigin) throw new Error(`Invalid app URL ${options.appUrl}`)
  hardenSession(options.session, contentSecurityPolicy({ devServer: options.devServer }))
  const window = new options.BrowserWindow(windowOptions(options.preloadPath))
  hardenWebContents(window.webContents, appOrigin)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.appUrl)
  return window
}

/** The constructor options: secure webPreferences, shown once painted. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Porthole',
    show: false, // shown on ready-to-show: no white flash
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: preloadPath, // the only bridge into the page: a narrow contextBridge API (item 20)
      contextIsolation: true, // item 3: isolate the preload's world from the page's
      sandbox: true, // item 4: OS-level sandbox for the renderer and preload
      nodeIntegration: false, // item 2: no Node.js in the page
      nodeIntegrationInWorker: false, // item 2: nor in its workers
      nodeIntegrationInSubFrames: false, // item 2: nor in subframes
      webSecurity: true, // item 6: same-origin policy stays on
      allowRunningInsecureContent: false, // item 8: no http content inside the app
      experimentalFeatures: false, // item 9: no experimental Chromium features
      // item 10: enableBlinkFeatures is deliberately left unset
      webviewTag: false, // items 11-12: no <webview> at all
      navigateOnDragDrop: false, // item 13: dropping a file or link must not navigate away
      safeDialogs: true, // a page cannot spam alert() loops
      spellcheck: false, // no text leaves for a spelling service (SQL is not prose)
    },
  }
}

/** Navigation, new windows and webviews: everything outside our own origin is refused. */
export function hardenWebContents(contents: WebContents, appOrigin: string): void {
  // item 13: limit navigation; compare parsed origins, never startsWith
  contents.on('will-navigate', (event, url) => {
    if (!isSameOrigin(url, appOrigin)) event.preventDefault()
  })
  // item 13: a server redirect is a navigation too
  contents.on('will-redirect', (event, url) => {
    if (!isSameOrigin(url, appOrigin)) event.preventDefault()
  })
  // item 14: no new windows (and no shell.openExternal of page-chosen URLs, item 15)
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  // item 12: verify webview options → we have none, so refuse every attach
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Permissions and CSP on the session the window uses. */
export function hardenSession(session: Session, csp: string): void {
  // item 5: deny every permission request (camera, notifications, geolocation, ...)
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  // item 5: and answer every synchronous permission check with "no"
  session.setPermissionCheckHandler(() => false)
  // item 5: no USB/HID/serial device access either
  session.setDevicePermissionHandler(() => false)
  // item 7: a strict Content-Security-Policy on every response
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
}
