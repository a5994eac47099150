// Tunnel status as the engine reports it, connect/disconnect intents, and what a disconnect would end.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { TunnelStatus } from '../../../shared/ipc/models'
import type { TargetId } from '../../../shared/target-schema'
import { TargetStatusService, type TargetStatusState } from './target-status-service'

export type TunnelsState = TargetStatusState<TunnelStatus, 'connect' | 'disconnect'>

export interface DisconnectImpact {
  runningQueries: number
  openResults: number
  externalClients: number
}

/** Renderer service for tunnels. */
export class TunnelsService extends TargetStatusService<TunnelStatus, 'connect' | 'disconnect'> {
  constructor(private readonly api: PortholeApi) {
    super()
  }

  /** Subscribes to tunnel pushes and loads the current statuses. */
  start(): () => void {
    return this.follow(
      (on) => this.api.onTunnelChanged(on),
      () => this.api.listTunnels(),
    )
  }

  /** Asks the engine to open the target's tunnel. */
  async connect(targetId: TargetId): Promise<void> {
    await this.intent(targetId, 'connect', () => this.api.connectTarget({ targetId }), this.carried(targetId))
  }

  /** Asks the engine to close the target's tunnel. */
  async disconnect(targetId: TargetId): Promise<void> {
    await this.intent(
      targetId,
      'disconnect',
      () => this.api.disconnectTarget({ targetId }),
      this.carried(targetId),
    )
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

  // The failed status normally carries the same error; keep it separately only if it does not.
  private readonly carried = (targetId: TargetId) => (info: ErrorInfo) =>
    this.store.getState().byTarget[targetId]?.lastError?.code === info.code
}
