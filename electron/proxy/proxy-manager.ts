// Per-target local auth proxies: start/stop, status with clients, the local secret and pgpass
// file, the audit record of every client, and closing the tunnel N minutes after the last client
// left. Engine-agnostic: the engine supplies each target's links (tunnel route, token signer,
// principal); the front speaks the target's database protocol (pg-front.ts, mysql-front.ts).
import { join } from 'node:path'
import { toErrorInfo } from '../../shared/errors'
import type { ProxyStatus } from '../../shared/ipc/proxy-models'
import type { TargetId } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import type { AuditLog } from './audit-log'
import { clientAuditEntry } from './client-audit'
import { ClientRegistry } from './client-registry'
import { createFront, type TokenCount } from './front-factory'
import { localSecret, writeMySqlOptionFile, writePgpass } from './local-secret'
import type { UpstreamRoute } from './pg-upstream'
import type { ProxyFront } from './proxy-front'
import { type ProxyListener, startProxyListener } from './proxy-listener'
import { listeningStatus, stoppedStatus } from './proxy-status'

/** The target fields the proxy uses. */
export interface ProxyTarget {
  id: TargetId
  name: string
  engine: 'postgres' | 'mysql'
  dbUser: string
  database: string
  /** Pinned port; absent or 0 picks a free one. */
  proxyPort?: number
  /** Close the tunnel this many minutes after the last client left; absent = never. */
  proxyCloseTunnelAfterMinutes?: number
}

/** What the engine provides per target. */
export interface ProxyLinks {
  /** Opens the tunnel when closed; says how to reach the database through it. */
  route(): Promise<UpstreamRoute & { sessionIds: string[] }>
  /** A fresh IAM token (one per upstream connection). */
  signToken(): Promise<string>
  /** Closes the target's tunnel (idle close after the last client). */
  closeTunnel(): Promise<void>
  /** The AWS principal ARN for the audit log; null when unknown. */
  principal(): Promise<string | null>
}

export interface ProxyManagerOptions {
  /** Holds secrets/ (0700) and is where the pgpass file is written. */
  dataDir: string
  /** Sockets and port locks, shared by every Porthole process of this user. */
  runtimeDir: string
  shell: string
  logger: Logger
  audit: AuditLog
  now?: () => number
  /** How often byte counters are pushed while clients are connected. */
  statusIntervalMs?: number
  /** Length of a "minute" for the idle tunnel close (tests shorten it). */
  minuteMs?: number
}

interface Running {
  tokens: TokenCount
  optionFile?: string
  target: ProxyTarget
  links: ProxyLinks
  listener: ProxyListener
  front: ProxyFront
  registry: ClientRegistry
  secret: string
  since: number
  idleTimer?: NodeJS.Timeout
  lastBytes: number
  off: Array<() => void>
}

/** Runs the proxies of every target in this process. */
export class ProxyManager {
  private readonly running = new Map<TargetId, Running>()
  private readonly failed = new Map<TargetId, { status: ProxyStatus }>()
  private readonly listeners = new Set<(s: ProxyStatus) => void>()
  private readonly now: () => number
  private readonly ticker: NodeJS.Timeout
  private pgpassFile: string | null = null
  private readonly pending = new Set<Promise<unknown>>()

  constructor(private readonly options: ProxyManagerOptions) {
    this.now = options.now ?? (() => Date.now()) // read at call time: a mocked clock applies
    this.ticker = setInterval(() => this.tick(), options.statusIntervalMs ?? 1000)
    this.ticker.unref()
  }

  private get secretsDir(): string {
    return join(this.options.dataDir, 'proxy')
  }

  /** Starts (or returns) the target's proxy. `port` overrides the pinned one for this start. */
  async start(target: ProxyTarget, links: ProxyLinks, port?: number): Promise<ProxyStatus> {
    const existing = this.running.get(target.id)
    const wanted = port ?? target.proxyPort ?? 0
    if (existing && (wanted === 0 || wanted === existing.listener.port)) return this.status(target.id)
    if (existing) await this.stop(target.id)
    const log = this.options.logger.child('proxy')
    const secret = await localSecret(this.secretsDir, target.id)
    const optionFile =
      target.engine === 'mysql' ? await writeMySqlOptionFile(this.secretsDir, target.id, secret) : undefined
    const registry = new ClientRegistry(this.now)
    const tokens: TokenCount = { signed: 0, lastAt: null }
    const front = createFront(target, {
      secret,
      optionFile,
      registry,
      logger: log,
      route: () => links.route(),
      // Each upstream connection signs its own token; counted for the status.
      signToken: async () => {
        const token = await links.signToken()
        tokens.signed++
        tokens.lastAt = this.now()
        return token
      },
    })
    let listener: ProxyListener
    try {
      listener = await startProxyListener({
        port: wanted,
        runtimeDir: this.options.runtimeDir,
        front,
        targetName: target.name,
        shell: this.options.shell,
        lockInfo: {
          targetId: target.id,
          user: target.dbUser,
          database: target.database,
          pgpassFile: join(this.secretsDir, 'pgpass'),
          engine: target.engine,
          optionFile,
        },
      })
    } catch (err) {
      const status = {
        ...stoppedStatus(target, this.now()),
        state: 'failed' as const,
        lastError: toErrorInfo(err),
      }
      this.failed.set(target.id, { status })
      this.emit(status)
      throw err
    }
    this.failed.delete(target.id)
    const run: Running = {
      tokens,
      optionFile,
      target,
      links,
      listener,
      front,
      registry,
      secret,
      since: this.now(),
      lastBytes: 0,
      off: [],
    }
    run.off.push(
      registry.onChange(() => {
        this.scheduleIdleClose(run)
        this.emit(this.status(target.id))
      }),
      registry.onEnded((client, how, endedAt) => {
        const entry = links
          .principal()
          .catch(() => null)
          .then((principalArn) =>
            this.options.audit.append(clientAuditEntry(target, client, how, endedAt, principalArn)),
          )
        this.track(entry.catch((err: Error) => log.warn(`audit log write failed: ${err.message}`)))
      }),
    )
    this.running.set(target.id, run)
    await this.writePgpass()
    log.info(`proxy for "${target.name}" listening on 127.0.0.1:${listener.port}`, target.id)
    const status = this.status(target.id)
    this.emit(status)
    return status
  }

  /** Stops the target's proxy, ending its clients (PostgreSQL: FATAL 57P01; MySQL: closed). */
  async stop(targetId: TargetId): Promise<ProxyStatus> {
    const run = this.running.get(targetId)
    if (!run) return this.status(targetId)
    this.running.delete(targetId)
    clearTimeout(run.idleTimer)
    await run.listener.close()
    for (const off of run.off.splice(0)) off()
    await this.writePgpass()
    const status = this.status(targetId, run.target)
    this.emit(status)
    return status
  }

  /** The target's secret for TCP clients (created on first use). */
  secret(targetId: TargetId): Promise<string> {
    return localSecret(this.secretsDir, targetId)
  }

  status(targetId: TargetId, known?: ProxyTarget): ProxyStatus {
    const run = this.running.get(targetId)
    if (!run) {
      const failed = this.failed.get(targetId)?.status
      if (failed) return failed
      return stoppedStatus(
        known ?? { id: targetId, engine: 'postgres', dbUser: '', database: '' },
        this.now(),
      )
    }
    return listeningStatus({
      target: run.target,
      port: run.listener.port,
      socketDir: run.listener.socketDir,
      pgpassFile: this.pgpassFile,
      optionFile: run.optionFile ?? null,
      clients: run.registry.list(),
      tokens: run.tokens,
      since: run.since,
    })
  }

  list(): ProxyStatus[] {
    return [...this.running.keys(), ...this.failed.keys()].map((id) => this.status(id))
  }

  onStatus(listener: (s: ProxyStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops every proxy (app quit) and waits for their audit entries to be written. */
  async closeAll(): Promise<void> {
    clearInterval(this.ticker)
    await Promise.allSettled([...this.running.keys()].map((id) => this.stop(id)))
    await this.flush()
  }

  /** Resolves once every audit entry started so far is written. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending])
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work)
    void work.finally(() => this.pending.delete(work))
  }

  /** The tunnel stays open while clients exist; N minutes after the last one left, close it. */
  private scheduleIdleClose(run: Running): void {
    clearTimeout(run.idleTimer)
    run.idleTimer = undefined
    const minutes = run.target.proxyCloseTunnelAfterMinutes
    if (minutes === undefined || run.registry.size > 0) return
    run.idleTimer = setTimeout(
      () => {
        if (this.running.get(run.target.id) !== run || run.registry.size > 0) return
        this.options.logger.info(`no proxy client for ${minutes} min: closing the tunnel`, run.target.id)
        void run.links.closeTunnel().catch(() => {})
      },
      minutes * (this.options.minuteMs ?? 60_000),
    )
    run.idleTimer.unref()
  }

  private async writePgpass(): Promise<void> {
    const entries = [...this.running.values()]
      .filter((r) => r.target.engine === 'postgres')
      .map((r) => ({ port: r.listener.port, user: r.target.dbUser, secret: r.secret }))
    this.pgpassFile = await writePgpass(this.secretsDir, entries)
  }

  /** Pushes the counters of targets whose clients moved data (or signed tokens) since the last tick. */
  private tick(): void {
    for (const run of this.running.values()) {
      // Bytes and tokens: a client's upstream login signs its token after the client was listed.
      const bytes = run.registry.list().reduce((n, c) => n + c.bytesIn + c.bytesOut, 0) + run.tokens.signed
      if (bytes !== run.lastBytes) {
        run.lastBytes = bytes
        this.emit(this.status(run.target.id))
      }
    }
  }

  private emit(status: ProxyStatus): void {
    for (const l of [...this.listeners]) {
      try {
        l(status)
      } catch {
        // a failing subscriber must not break the proxy
      }
    }
  }
}
