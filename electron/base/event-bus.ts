// Typed fan-out of contract events from the engine to every connected renderer (Electron window,
// bridge sockets, CLI). Listener errors are isolated so one bad subscriber cannot break the others.
import type { EventName, EventPayload, Unsubscribe } from '../../shared/ipc/contract'

type AnyListener = (event: EventName, payload: unknown) => void

export class EventBus {
  private readonly listeners = new Set<AnyListener>()

  /** Emits an event to every subscriber. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload)
      } catch {
        // A failing transport (closed socket, destroyed window) must not stop delivery to others.
      }
    }
  }

  /** Subscribes to all events; used by transports that forward everything. */
  onAny(listener: AnyListener): Unsubscribe {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Subscribes to one event. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
    return this.onAny((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>)
    })
  }
}
