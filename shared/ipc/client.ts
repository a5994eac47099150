// Builds the typed PortholeApi from any transport (Electron IPC, loopback WebSocket, in-memory
// fake), VS Code ProxyChannel style: methods become `call`, `on[A-Z]…` names become `subscribe`.
import {
  type EventName,
  eventNames,
  type MethodName,
  methodNames,
  type PortholeApi,
  type Unsubscribe,
} from './contract'

/** What a transport must provide. `call` rejects with PortholeError on an error envelope. */
export interface ApiTransport {
  call(method: MethodName, arg: unknown): Promise<unknown>
  subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe
}

/** Wraps a transport into the contract object; every method and event of the table is present. */
export function createApiClient(transport: ApiTransport): PortholeApi {
  const api: Record<string, unknown> = {}
  for (const method of methodNames) {
    api[method] = (arg?: unknown) => transport.call(method, arg)
  }
  for (const event of eventNames) {
    api[event] = (listener: (payload: unknown) => void) => transport.subscribe(event, listener)
  }
  return api as PortholeApi
}
