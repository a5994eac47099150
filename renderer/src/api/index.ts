// The one way renderer code reaches the engine: `getApi()`. Inside Electron it uses the preload's
// transport; in a plain browser (npm run start:web, e2e) it uses the loopback bridge with the
// token from the URL fragment. The e2e fake entry (tests/e2e/fake-app/) mounts the app over the
// in-memory fake instead and never calls this.

import { PortholeError } from '../../../shared/errors'
import { BRIDGE_PATH, tokenFromHash } from '../../../shared/ipc/bridge-protocol'
import { createApiClient } from '../../../shared/ipc/client'
import type { PortholeApi } from '../../../shared/ipc/contract'
import { createBridgeTransport } from './bridge-transport'
import { createPreloadTransport, findPreloadTransport } from './preload-transport'

let current: PortholeApi | null = null

/** The contract client for this page, created on first use. */
export function getApi(): PortholeApi {
  current ??= createDefaultApi()
  return current
}

function createDefaultApi(): PortholeApi {
  const preload = findPreloadTransport()
  if (preload) return createApiClient(createPreloadTransport(preload))
  const where = (globalThis as { location?: { hash: string; host: string; protocol: string } }).location
  const token = where ? tokenFromHash(where.hash) : null
  if (!where || !token) return createApiClient(missingTokenTransport)
  const scheme = where.protocol === 'https:' ? 'wss' : 'ws'
  return createApiClient(createBridgeTransport({ url: `${scheme}://${where.host}${BRIDGE_PATH}`, token }))
}

// Without a token the bridge would refuse us anyway; fail every call with words that say what to do.
const missingTokenTransport = {
  call: async () => {
    throw PortholeError.of('UNAVAILABLE', 'This page has no Porthole access token', {
      hint: 'Open the full URL printed by `npm run start:web` (it ends with #token=…).',
    })
  },
  subscribe: () => () => {},
}
