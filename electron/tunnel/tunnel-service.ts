// What the engine asks of the tunnel layer; implemented by TunnelManager (native or plugin backend).
import type { Unsubscribe } from '../../shared/ipc/contract'
import type { TunnelStatus } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'

/** Owns every tunnel's lifecycle; main-process state, pushed to renderers as TunnelStatus. */
export interface TunnelService {
  /** Opens (or returns the already open) tunnel; rejects with a PortholeError. */
  connect(target: Target): Promise<TunnelStatus>
  /** Closes the tunnel with TerminateSession; resolves with the final status. */
  disconnect(targetId: TargetId): Promise<TunnelStatus>
  /**
   * Resizes the target's live session pool without dropping a stream; undefined when no tunnel is
   * live (the next connect uses the saved size). Rejects when the live tunnel cannot pool.
   */
  resize(targetId: TargetId, size: number): Promise<TunnelStatus | undefined>
  list(): TunnelStatus[]
  get(targetId: TargetId): TunnelStatus | undefined
  onStatus(listener: (status: TunnelStatus) => void): Unsubscribe
  closeAll(): Promise<void>
}
