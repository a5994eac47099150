// TunnelService: one tunnel per target, each with its own state machine, fanned out as
// TunnelStatus events. Native data-channel tunnels by default; the session-manager-plugin backend
// when the target asks for it.

import { PortholeError } from '../../shared/errors'
import type { Unsubscribe } from '../../shared/ipc/contract'
import type { TunnelStatus } from '../../shared/ipc/models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { type PluginContext, PluginTunnel } from './plugin-backend'
import type { SsmSessionApi } from './ssm-session-api'
import { idleStatus } from './status-tracker'
import { Tunnel, type TunnelHandle, type TunnelOptions } from './tunnel'
import type { TunnelService } from './tunnel-service'

export interface TunnelManagerOptions {
  /** The SSM session API for a target (its credentials, region, endpoint). */
  apiFor(target: Target): SsmSessionApi | Promise<SsmSessionApi>
  logger: Logger
  /** Tuning passed to every native tunnel (tests shorten timeouts, raise the pace). */
  tunnel?: Omit<TunnelOptions, 'api' | 'logger'>
  /** What the plugin backend needs besides the API (region, profile, endpoint, credential env). */
  pluginContext?(target: Target): Promise<PluginContext>
}

const LIVE = new Set(['starting', 'open', 'resuming'])

/** Implements TunnelService over native (or plugin) tunnels. */
export class TunnelManager implements TunnelService {
  private readonly tunnels = new Map<TargetId, TunnelHandle>()
  private readonly listeners = new Set<(s: TunnelStatus) => void>()
  /** Connects still resolving their API/context, so concurrent calls share one tunnel. */
  private readonly creating = new Map<TargetId, Promise<TunnelStatus>>()

  constructor(private readonly options: TunnelManagerOptions) {}

  /** Opens the target's tunnel, or returns the live one (awaiting it while it starts). */
  async connect(target: Target): Promise<TunnelStatus> {
    const existing = this.tunnels.get(target.id)
    if (existing && LIVE.has(existing.status().state)) return existing.open()
    const inFlight = this.creating.get(target.id)
    if (inFlight) return inFlight
    const created = this.create(target, existing).finally(() => this.creating.delete(target.id))
    this.creating.set(target.id, created)
    return created
  }

  private async create(target: Target, existing: TunnelHandle | undefined): Promise<TunnelStatus> {
    if (existing?.status().state === 'closing') await existing.close()
    const api = await this.options.apiFor(target)
    const log = this.options.logger.child('tunnel')
    let tunnel: TunnelHandle
    if (target.backend === 'plugin') {
      if (!this.options.pluginContext)
        throw PortholeError.of('UNAVAILABLE', 'The session-manager-plugin backend is not configured here.')
      tunnel = new PluginTunnel(target, {
        api,
        logger: log,
        context: await this.options.pluginContext(target),
      })
    } else tunnel = new Tunnel(target, { ...this.options.tunnel, api, logger: log })
    this.tunnels.set(target.id, tunnel)
    tunnel.onStatus((s) => this.emit(s))
    return tunnel.open()
  }

  /** Closes the target's tunnel (TerminateSession); an idle status when it never existed. */
  async disconnect(targetId: TargetId): Promise<TunnelStatus> {
    const tunnel = this.tunnels.get(targetId)
    if (!tunnel) return idleStatus({ id: targetId })
    return tunnel.close()
  }

  /** Resizes a live pool (Tunnel.resize); nothing to do when the target has no live tunnel. */
  async resize(targetId: TargetId, size: number): Promise<TunnelStatus | undefined> {
    const tunnel = this.tunnels.get(targetId)
    if (!tunnel || !LIVE.has(tunnel.status().state)) return undefined
    if (!tunnel.resize)
      throw PortholeError.of('UNAVAILABLE', 'The session-manager-plugin backend runs one session per tunnel.')
    // A tunnel still starting opens with the size it was created with; resize once it is up.
    await tunnel.open()
    return tunnel.resize(size)
  }

  /** Records when a token was minted for the target's database (its tunnel status shows the age). */
  noteTokenIssued(targetId: TargetId, at: number): void {
    this.tunnels.get(targetId)?.noteTokenIssued(at)
  }

  /** Every known tunnel's status. */
  list(): TunnelStatus[] {
    return [...this.tunnels.values()].map((t) => t.status())
  }

  /** One target's status, if it ever had a tunnel. */
  get(targetId: TargetId): TunnelStatus | undefined {
    return this.tunnels.get(targetId)?.status()
  }

  /** Subscribes to every tunnel's status changes. */
  onStatus(listener: (status: TunnelStatus) => void): Unsubscribe {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Closes every tunnel (app quit). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.tunnels.values()].map((t) => t.close()))
  }

  private emit(status: TunnelStatus): void {
    for (const l of [...this.listeners]) {
      try {
        l(status)
      } catch {
        // A failing subscriber must not break the tunnel.
      }
    }
  }
}
