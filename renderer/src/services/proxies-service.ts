// Local auth proxy status as the engine pushes it (onProxyChanged), plus start/stop intents, the
// local secret on request and the audit log.
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { AuditEntryInfo, ProxyStatus } from '../../../shared/ipc/proxy-models'
import type { TargetId } from '../../../shared/target-schema'
import { TargetStatusService, type TargetStatusState } from './target-status-service'

export type ProxiesState = TargetStatusState<ProxyStatus, 'start' | 'stop'>

/** Renderer service for the per-target proxies. */
export class ProxiesService extends TargetStatusService<ProxyStatus, 'start' | 'stop'> {
  constructor(private readonly api: PortholeApi) {
    super()
  }

  /** Subscribes to proxy pushes and loads the current statuses. */
  start(): () => void {
    return this.follow(
      (on) => this.api.onProxyChanged(on),
      () => this.api.listProxies(),
    )
  }

  startProxy(targetId: TargetId): Promise<void> {
    return this.intent(targetId, 'start', () => this.api.startProxy({ targetId }))
  }

  stopProxy(targetId: TargetId): Promise<void> {
    return this.intent(targetId, 'stop', () => this.api.stopProxy({ targetId }))
  }

  /** The target's local secret, fetched only when the user asks to see or copy it. */
  async secret(targetId: TargetId): Promise<string> {
    return (await this.api.getProxySecret({ targetId })).secret
  }

  audit(limit = 200): Promise<AuditEntryInfo[]> {
    return this.api.listAuditLog({ limit })
  }
}
