// The browser transport: the contract over the loopback bridge's WebSocket. One socket, a map of
// pending calls by id, events fanned out locally, and reconnection with capped backoff so a
// restarted `porthole start --web` (same token) or a network blip does not need a page reload.

import { PortholeError } from '../../../shared/errors'
import {
  bridgeProtocols,
  CLOSE_PROTOCOL_ERROR,
  type ServerMessage,
} from '../../../shared/ipc/bridge-protocol'
import type { ApiTransport } from '../../../shared/ipc/client'
import {
  type CallEnvelope,
  type EventName,
  type MethodName,
  unwrapEnvelope,
} from '../../../shared/ipc/contract'

/** The slice of the WHATWG WebSocket this transport uses (the `ws` package matches it too). */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: unknown) => void) | null
}
export type SocketConstructor = new (url: string, protocols: string[]) => SocketLike

export interface BridgeTransportOptions {
  /** ws://127.0.0.1:PORT/ipc */
  url: string
  token: string
  /** Defaults to the browser's WebSocket. */
  WebSocketImpl?: SocketConstructor
  /** Delay before reconnect attempt `n` (0-based). Default 250 ms doubling up to 5 s. */
  backoffMs?: (attempt: number) => number
}

/** An ApiTransport over the bridge, plus `close()` (stops reconnecting) and connection state. */
export interface BridgeTransport extends ApiTransport {
  close(): void
  readonly connected: boolean
  /** Called with true on every (re)connect and false on every disconnect. */
  onConnection(listener: (connected: boolean) => void): () => void
}

const OPEN = 1

/** Creates the bridge transport and starts connecting. */
export function createBridgeTransport(options: BridgeTransportOptions): BridgeTransport {
  const Impl = options.WebSocketImpl ?? (globalThis as unknown as { WebSocket: SocketConstructor }).WebSocket
  const backoff = options.backoffMs ?? ((n: number) => Math.min(5000, 250 * 2 ** n))
  const pending = new Map<number, { resolve: (e: CallEnvelope) => void; reject: (e: unknown) => void }>()
  const outbox: string[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const connectionListeners = new Set<(connected: boolean) => void>()
  let socket: SocketLike | null = null
  let nextId = 1
  let attempt = 0
  let closed = false
  let connected = false
  let timer: ReturnType<typeof setTimeout> | null = null

  const setConnected = (value: boolean) => {
    if (connected === value) return
    connected = value
    for (const listener of [...connectionListeners]) listener(value)
  }
  const connect = () => {
    timer = null
    const ws = new Impl(options.url, bridgeProtocols(options.token))
    socket = ws
    ws.onopen = () => {
      attempt = 0
      setConnected(true)
      for (const message of outbox.splice(0)) ws.send(message)
    }
    ws.onmessage = (event) => {
      let message: ServerMessage
      try {
        message = JSON.parse(String(event.data)) as ServerMessage
      } catch {
        ws.close(CLOSE_PROTOCOL_ERROR, 'bad message')
        return
      }
      if ('id' in message) {
        const call = pending.get(message.id)
        pending.delete(message.id)
        call?.resolve(message.envelope)
      } else if ('event' in message) {
        for (const listener of [...(listeners.get(message.event) ?? [])]) listener(message.payload)
      }
    }
    ws.onerror = () => {
      // Always followed by close; handled there.
    }
    ws.onclose = (event) => {
      socket = null
      setConnected(false)
      // A call in flight may or may not have run; say so rather than silently retrying it.
      const lost = PortholeError.of('UNAVAILABLE', `Lost the connection to Porthole (code ${event.code})`, {
        hint: 'Check that `porthole start --web` is still running, then retry.',
      })
      for (const call of pending.values()) call.reject(lost)
      pending.clear()
      outbox.length = 0
      if (!closed) timer = setTimeout(connect, backoff(attempt++))
    }
  }

  const send = (message: string) => {
    if (socket && socket.readyState === OPEN) return socket.send(message)
    outbox.push(message)
    // Waiting out the backoff while a call is pending helps nobody: try again now.
    if (!socket && timer) {
      clearTimeout(timer)
      connect()
    }
  }

  connect()

  return {
    async call(method: MethodName, arg: unknown) {
      if (closed) throw PortholeError.of('UNAVAILABLE', 'The bridge transport is closed')
      const id = nextId++
      const envelope = await new Promise<CallEnvelope>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        send(JSON.stringify({ id, method, arg }))
      })
      return unwrapEnvelope(envelope)
    },
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      socket?.close(1000, 'client closed')
    },
    get connected() {
      return connected
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
  }
}
