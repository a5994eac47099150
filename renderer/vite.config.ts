// Builds the renderer on its own (root renderer/, output out/renderer) so the loopback bridge and
// the e2e tests can serve it without electron-vite. `base: './'` keeps asset URLs relative, which
// works both under file:// in Electron and under http://127.0.0.1 from the bridge.
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // No inline module preload polyfill: the strict CSP (script-src 'self') forbids inline scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  preview: { host: '127.0.0.1' },
})
