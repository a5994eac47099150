// Tunnel status as the engine reports it. The renderer never derives state: it stores the last
// pushed status per target and sends connect/disconnect intents.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { TunnelStatus } from '../../../shared/ipc/models'
import type { TargetId } from '../../../shared/target-schema'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'

export interface TunnelsState {
  byTarget: Record<string, TunnelStatus>
  /** An intent in flight per target, for button progress only. */
  pending: Record<string, 'connect' | 'disconnect'>
  /** A rejection that arrived without a status carrying it (e.g. NOT_FOUND, CONFLICT). */
  callErrors: Record<string, ErrorInfo>
}

export interface DisconnectImpact {
  runningQueries: number
  openResults: number
  externalClients: number
}

/** Renderer service for tunnels. */
export class TunnelsService {
  readonly store = new Store<TunnelsState>({ byTarget: {}, pending: {}, callErrors: {} })

  constructor(private readonly api: PortholeApi) {}

  /** Subscribes to tunnel pushes and loads the current statuses. */
  start(): () => void {
    const off = this.api.onTunnelChanged((s) => this.apply(s))
    void this.api
      .listTunnels()
      .then((list) => {
        for (const s of list) this.apply(s)
      })
      .catch(() => undefined)
    return off
  }

  /** Asks the engine to open the target's tunnel. */
  async connect(targetId: TargetId): Promise<void> {
    await this.intent(targetId, 'connect', () => this.api.connectTarget({ targetId }))
  }

  /** Asks the engine to close the target's tunnel. */
  async disconnect(targetId: TargetId): Promise<void> {
    await this.intent(targetId, 'disconnect', () => this.api.disconnectTarget({ targetId }))
  }

  /**
   * What closing the tunnel would end right now: running queries, open results, and connections
   * of other tools (the tunnel's local connections the engine does not hold). Null when nothing.
   */
  async disconnectImpact(targetId: TargetId): Promise<DisconnectImpact | null> {
    const status = this.store.getState().byTarget[targetId]
    const activity = await this.api.getTargetActivity({ targetId }).catch(() => null)
    if (!activity) return null
    const externalClients = Math.max(0, (status?.openStreams ?? 0) - activity.connections)
    const impact = {
      runningQueries: activity.runningQueries,
      openResults: activity.openResults,
      externalClients,
    }
    return impact.runningQueries || impact.openResults || impact.externalClients ? impact : null
  }

  private async intent(
    targetId: TargetId,
    kind: 'connect' | 'disconnect',
    call: () => Promise<TunnelStatus>,
  ): Promise<void> {
    this.store.setState((s) => ({
      pending: { ...s.pending, [targetId]: kind },
      callErrors: omit(s.callErrors, targetId),
    }))
    try {
      this.apply(await call())
    } catch (err) {
      const info = errorInfoOf(err)
      // The failed status normally carries the same error; keep it separately only if it does not.
      if (this.store.getState().byTarget[targetId]?.lastError?.code !== info.code) {
        this.store.setState((s) => ({ callErrors: { ...s.callErrors, [targetId]: info } }))
      }
    } finally {
      this.store.setState((s) => ({ pending: omit(s.pending, targetId) }))
    }
  }

  private apply(status: TunnelStatus): void {
    this.store.setState((s) => ({ byTarget: { ...s.byTarget, [status.targetId]: status } }))
  }
}

function omit<V>(record: Record<string, V>, key: string): Record<string, V> {
  const { [key]: _gone, ...rest } = record
  return rest
}
