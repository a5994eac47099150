// A tiny immutable store (Teleport ImmutableStore idea without immer): state is replaced, never
// mutated, so `useSyncExternalStore` selectors can compare by reference.

type Listener = () => void

/** Holds one immutable state object and notifies subscribers after each replacement. */
export class Store<T extends object> {
  private state: T
  private readonly listeners = new Set<Listener>()

  constructor(initial: T) {
    this.state = initial
  }

  /** Current state; never mutate it. */
  getState = (): T => this.state

  /** Shallow-merges a patch (or the patch a function returns) and notifies subscribers. */
  setState(patch: Partial<T> | ((state: T) => Partial<T>)): void {
    const next = typeof patch === 'function' ? patch(this.state) : patch
    this.state = { ...this.state, ...next }
    for (const listener of [...this.listeners]) listener()
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
