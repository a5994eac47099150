// Local auth proxy status as the engine pushes it (onProxyChanged), plus start/stop intents, the
// local secret on request and the audit log. The renderer stores what it is told; it derives nothing.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { AuditEntryInfo, ProxyStatus } from '../../../shared/ipc/proxy-models'
import type { TargetId } from '../../../shared/target-schema'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'

export interface ProxiesState {
  byTarget: Record<string, ProxyStatus>
  pending: Record<string, 'start' | 'stop'>
  callErrors: Record<string, ErrorInfo>
}

/** Renderer service for the per-target proxies. */
export class ProxiesService {
  readonly store = new Store<ProxiesState>({ byTarget: {}, pending: {}, callErrors: {} })

  constructor(private readonly api: PortholeApi) {}

  /** Subscribes to proxy pushes and loads the current statuses. */
  start(): () => void {
    const off = this.api.onProxyChanged((s) => this.apply(s))
    void this.api
      .listProxies()
      .then((list) => {
        for (const s of list) this.apply(s)
      })
      .catch(() => undefined)
    return off
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

  private async intent(
    targetId: TargetId,
    kind: 'start' | 'stop',
    call: () => Promise<ProxyStatus>,
  ): Promise<void> {
    this.store.setState((s) => ({
      pending: { ...s.pending, [targetId]: kind },
      callErrors: omit(s.callErrors, targetId),
    }))
    try {
      this.apply(await call())
    } catch (err) {
      this.store.setState((s) => ({ callErrors: { ...s.callErrors, [targetId]: errorInfoOf(err) } }))
    } finally {
      this.store.setState((s) => ({ pending: omit(s.pending, targetId) }))
    }
  }

  private apply(status: ProxyStatus): void {
    this.store.setState((s) => ({ byTarget: { ...s.byTarget, [status.targetId]: status } }))
  }
}

function omit<V>(record: Record<string, V>, key: string): Record<string, V> {
  const { [key]: _gone, ...rest } = record
  return rest
}
