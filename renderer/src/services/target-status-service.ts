// What the tunnel and proxy services share: the last status the engine pushed per target, the intent
// in flight per target (for button progress) and a call's rejection when no status carries it.
// The renderer stores what it is told; it derives nothing.
import type { ErrorInfo } from '../../../shared/errors'
import type { TargetId } from '../../../shared/target-schema'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'

export interface TargetStatusState<S, K extends string> {
  byTarget: Record<string, S>
  /** An intent in flight per target, for button progress only. */
  pending: Record<string, K>
  /** A rejection that arrived without a status carrying it (e.g. NOT_FOUND, CONFLICT). */
  callErrors: Record<string, ErrorInfo>
}

/** Per-target statuses pushed by the engine, and intents that answer with a status. */
export abstract class TargetStatusService<S extends { targetId: string }, K extends string> {
  readonly store = new Store<TargetStatusState<S, K>>({ byTarget: {}, pending: {}, callErrors: {} })

  /** Subscribes to pushes and loads the current statuses; returns the unsubscribe. */
  protected follow(subscribe: (on: (s: S) => void) => () => void, list: () => Promise<S[]>): () => void {
    const off = subscribe((s) => this.apply(s))
    void list()
      .then((all) => {
        for (const s of all) this.apply(s)
      })
      .catch(() => undefined)
    return off
  }

  /**
   * Runs an intent: marks it pending, stores the status it answers with, or its error unless
   * `carried(info)` says the pushed status already shows that error.
   */
  protected async intent(
    targetId: TargetId,
    kind: K,
    call: () => Promise<S>,
    carried: (info: ErrorInfo) => boolean = () => false,
  ): Promise<void> {
    this.store.setState((s) => ({
      pending: { ...s.pending, [targetId]: kind },
      callErrors: omit(s.callErrors, targetId),
    }))
    try {
      this.apply(await call())
    } catch (err) {
      const info = errorInfoOf(err)
      if (!carried(info)) this.store.setState((s) => ({ callErrors: { ...s.callErrors, [targetId]: info } }))
    } finally {
      this.store.setState((s) => ({ pending: omit(s.pending, targetId) }))
    }
  }

  private apply(status: S): void {
    this.store.setState((s) => ({ byTarget: { ...s.byTarget, [status.targetId]: status } }))
  }
}

function omit<V>(record: Record<string, V>, key: string): Record<string, V> {
  const { [key]: _gone, ...rest } = record
  return rest
}
