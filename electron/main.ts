// The Electron main process: a thin composition root. Store (electron-store at userData) → engine
// → IPC → one hardened window. Everything with logic lives in the engine or the window factory.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron'
import ElectronStore from 'electron-store'
import { isSafeVerificationUrl } from './aws/account-service'
import { createLogger, stderrSink } from './base/logger'
import { contentSecurityPolicy } from './bridge/content-security-policy'
import { createAppEngine } from './engine/app-engine'
import type { Engine } from './engine/engine'
import { createDispatcher } from './ipc/dispatcher'
import { registerElectronIpc } from './ipc/electron-ipc'
import { preflightStoreFile, STORE_CONFIG_NAME } from './store/store-file'
import { type ConfLikeBackend, createTargetStore } from './store/target-store'
import { APP_ORIGIN, originOf } from './window/app-origin'
import { registerAppScheme, serveAppProtocol } from './window/app-protocol'
import { createMainWindow } from './window/create-window'
import { devServerUrl } from './window/dev-server'

const here = fileURLToPath(new URL('.', import.meta.url)) // out/main/
// Set by `electron-vite dev`; honoured only unpackaged AND with PORTHOLE_DEV=1 (window/dev-server.ts).
const devServer = devServerUrl({ isPackaged: app.isPackaged, env: process.env, argv: process.argv })

registerAppScheme(protocol) // must happen before `ready`
let engine: Engine | null = null

app.whenReady().then(() => {
  const toStderr = stderrSink('warn')
  const logger = createLogger('main', toStderr)
  const userData = app.getPath('userData')
  const problem = preflightStoreFile(join(userData, `${STORE_CONFIG_NAME}.json`))
  const backend = new ElectronStore<Record<string, unknown>>({
    name: STORE_CONFIG_NAME,
    cwd: userData,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  })
  const store = createTargetStore({ backend: backend as unknown as ConfLikeBackend, logger, problem })
  engine = createAppEngine({
    store,
    shell: 'electron',
    version: app.getVersion(),
    dataDir: userData,
    logSink: toStderr,
    // The IAM Identity Center page of a pending sign-in, checked again at the edge: https only.
    openExternal: async (url) => {
      if (!isSafeVerificationUrl(url)) throw new Error(`refusing to open ${url}`)
      await shell.openExternal(url)
    },
    // The demo's AWS runs in-process; loaded on demand so an app that never opens it never loads it.
    startDemoSimulator: async () => (await import('../sim/index')).startSimulator(),
    // The user picks where an export goes; the renderer never names a path (issue 11 item 1).
    chooseExportPath: async (name, format) => {
      const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
      const options = {
        defaultPath: join(app.getPath('downloads'), name),
        filters: [{ name: format.toUpperCase(), extensions: [format] }],
      }
      const picked = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options)
      return picked.canceled || !picked.filePath ? null : picked.filePath
    },
  })
  const bus = engine.bus

  const appUrl = devServer ?? `${APP_ORIGIN}/index.html`
  if (!devServer) serveAppProtocol(protocol, net, join(here, '../renderer'), contentSecurityPolicy())
  const window = createMainWindow({
    BrowserWindow,
    session: session.defaultSession,
    preloadPath: join(here, '../preload/index.cjs'),
    appUrl,
    devServer,
  })
  registerElectronIpc({
    ipcMain,
    dispatch: createDispatcher(engine.handlers, (method, err) =>
      logger.debug(`${method} failed: ${String(err)}`),
    ),
    bus,
    appOrigin: originOf(appUrl) ?? APP_ORIGIN,
    targets: () => (window.isDestroyed() ? [] : [window.webContents]),
    logger,
  })
})

app.on('window-all-closed', () => app.quit())

// Close tunnels and pools before exit: SSM sessions should end with TerminateSession, not a timeout.
let closing = false
app.on('before-quit', (event) => {
  if (closing || !engine) return
  event.preventDefault()
  closing = true
  void engine.close().finally(() => app.quit())
})
