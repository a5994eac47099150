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
  list(): TunnelStatus[]
  get(targetId: TargetId): TunnelStatus | undefined
  onStatus(listener: (status: TunnelStatus) => void): Unsubscribe
  closeAll(): Promise<void>
}
