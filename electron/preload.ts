// The preload: glue, not logic. It exposes exactly one object, `window.portholeTransport`, through
// contextBridge (never ipcRenderer itself). Bundled as one CJS file because sandboxed preloads
// cannot load ES modules or most Node modules.
import { contextBridge, ipcRenderer } from 'electron'
import { createPreloadBridge } from './ipc/electron-preload-bridge'

contextBridge.exposeInMainWorld('portholeTransport', createPreloadBridge(ipcRenderer))
