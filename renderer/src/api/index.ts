// The one way renderer code reaches the engine: `getApi()`. Inside Electron it uses the preload's
// transport; in a plain browser (npm run start:web, e2e) it uses the loopback bridge with the
// token from the URL fragment. The e2e fake entry (tests/e2e/fake-app/) mounts the app over the
// in-memory fake instead and never calls this.

import { PortholeError } from '../../../shared/errors'
import { BRIDGE_PATH, tokenFromHash } from '../../../shared/ipc/bridge-protocol'
import { createApiClient } from '../../../shared/ipc/client'
import type { PortholeApi } from '../../../shared/ipc/contract'
import { type BridgeTransport, createBridgeTransport } from './bridge-transport'
import { createPreloadTransport, findPreloadTransport } from './preload-transport'

let current: PortholeApi | null = null
let bridge: BridgeTransport | null = null

/** The contract client for this page, created on first use. */
export function getApi(): PortholeApi {
  current ??= createDefaultApi()
  return current
}

function createDefaultApi(): PortholeApi {
  const preload = findPreloadTransport()
  if (preload) return createApiClient(createPreloadTransport(preload))
  const where = (globalThis as { location?: Location }).location
  const token = where ? takeBridgeToken(where) : null
  if (!where || !token) return createApiClient(missingTokenTransport)
  const scheme = where.protocol === 'https:' ? 'wss' : 'ws'
  bridge = createBridgeTransport({ url: `${scheme}://${where.host}${BRIDGE_PATH}`, token })
  return createApiClient(bridge)
}

/**
 * Tells `listener` whenever the loopback bridge's socket closes (false) or opens again (true).
 * Inside Electron and with the fake there is no socket to lose, so it never fires.
 */
export function onBackendConnection(listener: (connected: boolean) => void): () => void {
  getApi()
  return bridge ? bridge.onConnection(listener) : () => {}
}

const TOKEN_KEY = 'porthole.bridgeToken'

/**
 * The bridge token: from the URL fragment on first load, then removed from the address bar and the
 * history entry (issue 11 item 7: it must not linger where screen shares, history sync or a
 * shoulder can read it). It is kept in this tab's sessionStorage so a reload still works; a new tab
 * needs the printed URL again.
 */
function takeBridgeToken(where: Location): string | null {
  const storage = (globalThis as { sessionStorage?: Storage }).sessionStorage
  const fromHash = tokenFromHash(where.hash)
  if (fromHash) {
    storage?.setItem(TOKEN_KEY, fromHash)
    const history = (globalThis as { history?: History }).history
    history?.replaceState(history.state, '', `${where.pathname}${where.search}`)
    return fromHash
  }
  return storage?.getItem(TOKEN_KEY) ?? null
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
