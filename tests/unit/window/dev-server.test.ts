// Issue 11 item 9: a dev-server URL from the environment is honoured only with an explicit dev flag.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { devServerUrl } from '../../../electron/window/dev-server'

const vite = 'http://localhost:5173'

it('ELECTRON_RENDERER_URL alone, unpackaged, is ignored', () => {
  assert.equal(devServerUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: vite }, argv: [] }), undefined)
})

it('with PORTHOLE_DEV=1 or --porthole-dev, a loopback http URL is used', () => {
  const env = { ELECTRON_RENDERER_URL: vite, PORTHOLE_DEV: '1' }
  assert.equal(devServerUrl({ isPackaged: false, env, argv: [] }), vite)
  const argv = ['electron', '.', '--porthole-dev']
  assert.equal(devServerUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: vite }, argv }), vite)
  const v4 = 'http://127.0.0.1:5173/'
  assert.equal(devServerUrl({ isPackaged: false, env: { ...env, ELECTRON_RENDERER_URL: v4 }, argv: [] }), v4)
})

it('never in a packaged app, and never a remote or non-http URL', () => {
  const flagged = { PORTHOLE_DEV: '1' }
  assert.equal(
    devServerUrl({ isPackaged: true, env: { ...flagged, ELECTRON_RENDERER_URL: vite }, argv: [] }),
    undefined,
  )
  for (const url of [
    'https://evil.example',
    'http://10.0.0.5:5173',
    'file:///tmp/x.html',
    'http://localhost.evil.example',
    'nonsense',
  ]) {
    assert.equal(
      devServerUrl({ isPackaged: false, env: { ...flagged, ELECTRON_RENDERER_URL: url }, argv: [] }),
      undefined,
      url,
    )
  }
  assert.equal(
    devServerUrl({ isPackaged: false, env: { PORTHOLE_DEV: 'yes', ELECTRON_RENDERER_URL: vite }, argv: [] }),
    undefined,
  )
})
