// The Electron main process: a thin composition root. Store (the shared data dir) → engine
// → IPC → one hardened window. Everything with logic lives in the engine or the window factory.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron'
import { isSafeVerificationUrl } from './aws/account-service'
import { dataDir } from './base/data-dir'
import { createLogger, stderrSink } from './base/logger'
import { contentSecurityPolicy } from './bridge/content-security-policy'
import { createAppEngine } from './engine/app-engine'
import type { Engine } from './engine/engine'
import { createDispatcher } from './ipc/dispatcher'
import { registerElectronIpc } from './ipc/electron-ipc'
import { openConfTargetStore } from './store/conf-target-store'
import { APP_ORIGIN, originOf } from './window/app-origin'
import { registerAppScheme, serveAppProtocol } from './window/app-protocol'
import { createMainWindow } from './window/create-window'
import { devServerUrl } from './window/dev-server'

const here = fileURLToPath(new URL('.', import.meta.url)) // out/main/
// Set by `electron-vite dev`; honoured only unpackaged AND with PORTHOLE_DEV=1 (window/dev-server.ts).
const devServer = devServerUrl({ isPackaged: app.isPackaged, env: process.env, argv: process.argv })

registerAppScheme(protocol) // must happen before `ready`
// The same folder as the CLI and the web server (base/data-dir.ts), set before anything reads it.
app.setPath('userData', dataDir())
let engine: Engine | null = null

app.whenReady().then(() => {
  const toStderr = stderrSink('warn')
  const logger = createLogger('main', toStderr)
  const userData = app.getPath('userData')
  // The same store file and cross-process lock as the CLI (store/json-file-backend.ts).
  const store = openConfTargetStore({ dir: userData, logger })
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
