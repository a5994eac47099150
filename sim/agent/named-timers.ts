// Named one-shot timers (handshake, idle, max duration) that restart by name and never keep
// the process alive.

/** A set of unref'd timeouts keyed by name; setting a name again restarts it. */
export class NamedTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>()

  /** (Re)starts the timer `name`. */
  set(name: string, ms: number, fn: () => void): void {
    this.clear(name)
    const t = setTimeout(fn, ms)
    t.unref()
    this.timers.set(name, t)
  }

  /** Cancels the timer `name` if it runs. */
  clear(name: string): void {
    const t = this.timers.get(name)
    if (t) clearTimeout(t)
    this.timers.delete(name)
  }

  /** Cancels every timer. */
  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }
}
