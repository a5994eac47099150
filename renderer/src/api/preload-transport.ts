// The Electron transport: wraps the narrow `window.portholeTransport` the preload exposes into the
// ApiTransport the contract client needs. Envelopes become values or thrown PortholeErrors here.
import type { PreloadTransport } from '../../../shared/ipc/bridge-protocol'
import type { ApiTransport } from '../../../shared/ipc/client'
import { type CallEnvelope, unwrapEnvelope } from '../../../shared/ipc/contract'

/** The preload's transport if this page runs inside the Porthole Electron window, else null. */
export function findPreloadTransport(): PreloadTransport | null {
  const candidate = (globalThis as { portholeTransport?: PreloadTransport }).portholeTransport
  return candidate && typeof candidate.call === 'function' ? candidate : null
}

/** Adapts the preload transport to ApiTransport. */
export function createPreloadTransport(preload: PreloadTransport): ApiTransport {
  return {
    call: async (method, arg) => unwrapEnvelope((await preload.call(method, arg)) as CallEnvelope),
    subscribe: (event, listener) => preload.subscribe(event, listener),
  }
}
