// Wires the local auth proxy (electron/proxy/) into the app engine in one place: each target's
// links (tunnel opened on demand through the tunnel manager, a fresh IAM token per upstream
// connection, the caller ARN for the audit log), the pinned port saved with the target, tunnel
// sessions appended to the audit log, and proxy strings added to the connection strings.
import { join } from 'node:path'
import type { Unsubscribe } from '../../shared/ipc/contract'
import type { ConnectionStrings, TunnelStatus } from '../../shared/ipc/models'
import type { AuditEntryInfo, ProxyStatus } from '../../shared/ipc/proxy-models'
import type { Target, TargetId } from '../../shared/target-schema'
import type { TokenSigner } from '../aws/iam-token'
import type { Logger } from '../base/logger'
import { loadCa } from '../db/ca-bundle'
import { proxyStringsFor } from '../db/proxy-strings-for'
import { AuditLog } from '../proxy/audit-log'
import { proxyRuntimeDir } from '../proxy/private-dir'
import { ProxyManager } from '../proxy/proxy-manager'
import type { TargetStore } from '../store/target-store'

/** What the engine's handlers call for the proxy. */
export interface ProxyService {
  start(target: Target, port?: number): Promise<ProxyStatus>
  stop(targetId: TargetId): Promise<ProxyStatus>
  list(): ProxyStatus[]
  secret(targetId: TargetId): Promise<string>
  audit(limit: number): Promise<AuditEntryInfo[]>
  /** Adds proxy strings (or null) to the strings the database layer built. */
  withProxyStrings(targetId: TargetId, strings: ConnectionStrings): ConnectionStrings
  onStatus(listener: (s: ProxyStatus) => void): Unsubscribe
  closeAll(): Promise<void>
  /** Waits for pending audit writes (call after the tunnels closed). */
  flush(): Promise<void>
}

export interface ProxyWiringOptions {
  dataDir: string
  env: NodeJS.ProcessEnv
  shell: string
  logger: Logger
  store: TargetStore
  /** The target as the tunnel and database layers see it (demo routing). */
  effective(target: Target): Promise<Target>
  /** Opens (or returns) the target's tunnel. */
  connect(target: Target): Promise<TunnelStatus>
  disconnect(targetId: TargetId): Promise<unknown>
  signerFor(target: Target): TokenSigner
  principalFor(target: Target): Promise<string | null>
  onTunnelStatus(listener: (s: TunnelStatus) => void): Unsubscribe
}

/** Builds the proxy service and starts auditing tunnel sessions. */
export function createProxyService(o: ProxyWiringOptions): ProxyService {
  const audit = new AuditLog({ dir: join(o.dataDir, 'audit') })
  const proxies = new ProxyManager({
    dataDir: o.dataDir,
    runtimeDir: proxyRuntimeDir(o.env),
    shell: o.shell,
    logger: o.logger,
    audit,
  })
  const names = new Map<TargetId, Target>()

  const linksFor = (target: Target) => ({
    route: async () => {
      const eff = await o.effective(target)
      const status = await o.connect(eff)
      if (status.localPort === null) throw new Error('the tunnel opened without a local port')
      return {
        port: status.localPort,
        rdsHost: eff.rdsHost,
        ca: await loadCa(eff),
        sessionIds: status.sessionIds,
      }
    },
    signToken: async () => {
      const eff = await o.effective(target)
      return (await o.signerFor(eff).signToken(eff)).token
    },
    closeTunnel: async () => {
      await o.disconnect(target.id)
    },
    principal: async () => o.principalFor(await o.effective(target)),
  })

  // Every tunnel session that was open and ended becomes one audit entry.
  const last = new Map<TargetId, TunnelStatus>()
  const pending = new Set<Promise<void>>()
  const offTunnels = o.onTunnelStatus((s) => {
    const prev = last.get(s.targetId)
    last.set(s.targetId, s)
    if (!prev?.openedAt || !['closed', 'failed'].includes(s.state) || prev.state === s.state) return
    const target = names.get(s.targetId)
    const work = (async () => {
      const principalArn = target ? await o.principalFor(await o.effective(target)).catch(() => null) : null
      await audit.append({
        kind: 'tunnel-session',
        startedAt: new Date(prev.openedAt ?? s.since).toISOString(),
        endedAt: new Date(s.since).toISOString(),
        targetId: s.targetId,
        targetName: target?.name ?? '',
        principalArn,
        sessionIds: s.sessionIds.length ? s.sessionIds : prev.sessionIds,
        bytesIn: s.bytesIn,
        bytesOut: s.bytesOut,
        ended:
          s.state === 'failed' ? `failed: ${s.lastError?.message ?? 'unknown'}` : (s.endReason ?? 'closed'),
      })
    })().catch((err: Error) => o.logger.warn(`audit log write failed: ${err.message}`))
    pending.add(work)
    void work.finally(() => pending.delete(work))
  })

  return {
    async start(target, port) {
      names.set(target.id, target)
      const status = await proxies.start(target, linksFor(target), port)
      // Pin the port on first start (or when the user chose another): stored with the target.
      if (status.port !== null && status.port !== target.proxyPort) {
        const { createdAt: _c, updatedAt: _u, ...input } = target
        await o.store.save({ ...input, proxyPort: status.port })
      }
      return status
    },
    stop: (id) => proxies.stop(id),
    list: () => proxies.list(),
    secret: (id) => proxies.secret(id),
    audit: (limit) => audit.list(limit),
    withProxyStrings(targetId, strings) {
      const s = proxies.status(targetId)
      const proxy =
        s.state === 'listening' && s.port !== null ? proxyStringsFor({ ...s, port: s.port }) : null
      return { ...strings, proxy }
    },
    onStatus: (listener) => proxies.onStatus(listener),
    async closeAll() {
      await proxies.closeAll()
    },
    async flush() {
      offTunnels()
      await proxies.flush()
      while (pending.size) await Promise.allSettled([...pending])
    },
  }
}
