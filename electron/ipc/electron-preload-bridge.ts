// The preload's logic, kept apart from preload.ts so it can be tested under Node: a narrow
// transport that only knows the contract's names and hands listeners the payload, never the
// IpcRendererEvent (whose `sender` would give the page raw IPC, checklist item 20).
import type { IpcRenderer, IpcRendererEvent } from 'electron'
import type { PreloadTransport } from '../../shared/ipc/bridge-protocol'
import {
  CALL_CHANNEL,
  type CallEnvelope,
  EVENT_CHANNEL,
  eventNames,
  isEventName,
  isMethodName,
  methodNames,
} from '../../shared/ipc/contract'

/** The method names the preload forwards: exactly the contract's. */
export const PRELOAD_METHODS: ReadonlySet<string> = new Set(methodNames)
/** The event names the preload lets the page subscribe to: exactly the contract's. */
export const PRELOAD_EVENTS: ReadonlySet<string> = new Set(eventNames)

/**
 * Builds `window.portholeTransport`. Errors travel as envelopes (`{ok:false,error}`) rather than
 * rejections: contextBridge copies only `message` of a thrown Error, so the code, hint and field
 * issues would be lost on the way to the page. The page's api client rethrows them as PortholeError.
 */
export function createPreloadBridge(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
): PreloadTransport {
  return {
    async call(method: string, arg: unknown): Promise<CallEnvelope> {
      if (!isMethodName(method)) {
        return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${String(method)}"` } }
      }
      try {
        return (await ipc.invoke(CALL_CHANNEL, method, arg)) as CallEnvelope
      } catch (err) {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
        }
      }
    },
    subscribe(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) throw new Error(`Unknown event "${String(event)}"`)
      const handler = (_ipcEvent: IpcRendererEvent, message: { event?: unknown; payload?: unknown }) => {
        if (message?.event === event) listener(message.payload)
      }
      ipc.on(EVENT_CHANNEL, handler)
      return () => {
        ipc.removeListener(EVENT_CHANNEL, handler)
      }
    },
  }
}
