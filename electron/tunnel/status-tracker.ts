// Holds one tunnel's TunnelStatus and tells listeners when it changes. State changes go out at
// once; byte-count changes are coalesced to at most a few per second so a busy tunnel does not
// flood the IPC channel.
import type { Unsubscribe } from '../../shared/ipc/contract'
import type { TunnelState, TunnelStatus } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'

/** Initial (idle) status of a target's tunnel. */
export function idleStatus(target: Pick<Target, 'id'>, now = Date.now()): TunnelStatus {
  return {
    targetId: target.id,
    state: 'idle',
    localPort: null,
    sessionIds: [],
    mode: null,
    agentVersion: null,
    bytesIn: 0,
    bytesOut: 0,
    openStreams: 0,
    since: now,
    openedAt: null,
    tokenIssuedAt: null,
    lastError: null,
    endReason: null,
  }
}

/** Mutable status with change notification and throttled byte counters. */
export class StatusTracker {
  private current: TunnelStatus
  private readonly listeners = new Set<(s: TunnelStatus) => void>()
  private timer: NodeJS.Timeout | null = null
  private live: () => Partial<TunnelStatus> = () => ({})

  constructor(
    target: Pick<Target, 'id'>,
    private readonly throttleMs = 250,
  ) {
    this.current = idleStatus(target)
  }

  /** A snapshot copy, with the live fields (per-session load) read at this instant. */
  get(): TunnelStatus {
    return { ...this.current, sessionIds: [...this.current.sessionIds], ...this.live() }
  }

  /** Fields computed on every snapshot rather than stored (e.g. per-session load). */
  setLive(read: () => Partial<TunnelStatus>): void {
    this.live = read
  }

  get state(): TunnelState {
    return this.current.state
  }

  /** Subscribes to changes. */
  subscribe(listener: (s: TunnelStatus) => void): Unsubscribe {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Moves to `state` (updating `since`) with other fields, and emits now. */
  setState(state: TunnelState, patch: Partial<TunnelStatus> = {}): void {
    const now = Date.now()
    this.current = {
      ...this.current,
      ...patch,
      state,
      since: state === this.current.state ? this.current.since : now,
    }
    if (state === 'open' && !patch.openedAt && this.current.openedAt === null) this.current.openedAt = now
    this.emitNow()
  }

  /** Changes fields other than state and emits now. */
  update(patch: Partial<TunnelStatus>): void {
    this.current = { ...this.current, ...patch }
    this.emitNow()
  }

  /** Counts bytes; the change is emitted within `throttleMs`. */
  addBytes(inDelta: number, outDelta: number): void {
    this.current.bytesIn += inDelta
    this.current.bytesOut += outDelta
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.emit()
    }, this.throttleMs)
    this.timer.unref()
  }

  /** Stops the pending throttled emit (after the final state). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private emitNow(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.emit()
  }

  private emit(): void {
    const snapshot = this.get()
    for (const l of [...this.listeners]) {
      try {
        l(snapshot)
      } catch {
        // One failing subscriber must not stop the others or the tunnel.
      }
    }
  }
}
