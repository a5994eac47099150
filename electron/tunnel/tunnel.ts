// One target's native tunnel: a 127.0.0.1 listener and 1..N SSM sessions (a pool spreads local
// connections over sessions because each one is rate-capped), with the state machine
// idle → starting → open ⇄ resuming → closing → closed, or failed with a reason.
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { ClientOptions } from 'ws'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { Unsubscribe } from '../../shared/ipc/contract'
import type { TunnelStatus } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { type BackoffPolicy, backoffDelay, sleep } from './backoff'
import type { DataChannelOptions } from './data-channel'
import { type LocalListener, listenLocal } from './local-listener'
import { loadScore, pickSession } from './pool-placement'
import { type SessionEnd, type SessionInfo, SessionLink, type SessionLinkOptions } from './session-link'
import type { SsmSessionApi } from './ssm-session-api'
import { StatusTracker } from './status-tracker'

export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost'
/** The largest pool a target may ask for (target-schema `sessionPool`). */
export const MAX_SESSION_POOL = 8

/** What the tunnel manager passes to each tunnel. */
export interface TunnelOptions {
  api: SsmSessionApi
  logger: Logger
  wsOptions?: ClientOptions
  dataChannel?: DataChannelOptions
  resume?: BackoffPolicy
  /** Retries of StartSession on THROTTLED. */
  startRetry?: BackoffPolicy
  handshakeTimeoutMs?: number
  terminateWaitMs?: number
  keepaliveMs?: number
  statusThrottleMs?: number
}

/** The common shape of the native and plugin tunnels. */
export interface TunnelHandle {
  status(): TunnelStatus
  onStatus(listener: (s: TunnelStatus) => void): Unsubscribe
  open(): Promise<TunnelStatus>
  close(): Promise<TunnelStatus>
  /** Records when the database layer last minted an IAM token through this tunnel (shown as its age). */
  noteTokenIssued(at: number): void
  /** Grows or shrinks a live session pool (native mux tunnels only). */
  resize?(size: number): Promise<TunnelStatus>
}

const START_RETRY: BackoffPolicy = {
  attempts: 4,
  initialMinMs: 200,
  initialMaxMs: 399,
  ratio: 2,
  maxMs: 5000,
}

/** Starts a port-forwarding session, retrying throttling with backoff. */
export async function startPortSession(
  api: SsmSessionApi,
  target: Pick<Target, 'instanceId' | 'rdsHost' | 'rdsPort'>,
  policy: BackoffPolicy = START_RETRY,
  localPortNumber = '0',
): Promise<SessionInfo> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.startSession({
        target: target.instanceId,
        documentName: PORT_FORWARDING_DOCUMENT,
        parameters: {
          host: [target.rdsHost],
          portNumber: [String(target.rdsPort)],
          localPortNumber: [localPortNumber],
        },
        reason: 'Porthole database tunnel',
      })
    } catch (err) {
      if (!(err instanceof PortholeError && err.code === 'THROTTLED') || attempt + 1 >= policy.attempts)
        throw err
      await sleep(backoffDelay(policy, attempt))
    }
  }
}

/** A native (data-channel) tunnel for one target. */
export class Tunnel implements TunnelHandle {
  private readonly tracker: StatusTracker
  private readonly log: Logger
  private readonly clientId = randomUUID()
  private listener: LocalListener | null = null
  private links: SessionLink[] = []
  private opening: Promise<TunnelStatus> | null = null
  private closingPromise: Promise<TunnelStatus> | null = null

  constructor(
    readonly target: Target,
    private readonly options: TunnelOptions,
  ) {
    this.tracker = new StatusTracker(target, options.statusThrottleMs)
    this.tracker.setLive(() => ({
      sessions: this.links.map((l) => {
        const { accepting: _accepting, newStreams: _new, ...load } = l.load()
        return { ...load, draining: l.isDraining }
      }),
    }))
    this.log = options.logger
  }

  /** A snapshot of the status. */
  status(): TunnelStatus {
    return this.tracker.get()
  }

  /** Subscribes to status changes. */
  onStatus(listener: (s: TunnelStatus) => void): Unsubscribe {
    return this.tracker.subscribe(listener)
  }

  /** Records a token's issue time on the status. */
  noteTokenIssued(at: number): void {
    this.tracker.update({ tokenIssuedAt: at })
  }

  /** Session links (tests force WebSocket drops through them). */
  get sessions(): readonly SessionLink[] {
    return this.links
  }

  /** Opens the listener and the session(s); rejects with a PortholeError and ends `failed`. */
  open(): Promise<TunnelStatus> {
    this.opening ??= this.doOpen()
    return this.opening
  }

  /** Ends every session (flag + TerminateSession) and frees the local port. */
  close(): Promise<TunnelStatus> {
    this.closingPromise ??= this.doClose()
    return this.closingPromise
  }

  private async doOpen(): Promise<TunnelStatus> {
    this.tracker.setState('starting', { lastError: null, endReason: null, bytesIn: 0, bytesOut: 0 })
    try {
      this.listener = await listenLocal(this.target.localPort ?? 0, (s) => this.accept(s))
      this.tracker.update({ localPort: this.listener.port })
      const first = await this.startLink()
      const pool = first.mode === 'mux' ? Math.max(1, this.target.sessionPool ?? 1) : 1
      if (pool < (this.target.sessionPool ?? 1))
        this.log.info('session pool disabled: the agent only supports basic mode', this.target.id)
      const extra = await Promise.allSettled(Array.from({ length: pool - 1 }, () => this.startLink()))
      for (const r of extra)
        if (r.status === 'rejected')
          this.log.warn(`pooled session failed: ${toErrorInfo(r.reason).message}`, this.target.id)
      if (this.closingPromise) throw PortholeError.of('TUNNEL_CLOSED', 'The tunnel was closed while opening')
      this.tracker.setState('open', { mode: first.mode, agentVersion: first.agentVersion })
      return this.tracker.get()
    } catch (err) {
      const info = toErrorInfo(err)
      await this.teardown()
      if (!this.closingPromise)
        this.tracker.setState('failed', { lastError: info, endReason: info.message, openStreams: 0 })
      throw err instanceof PortholeError ? err : new PortholeError(info)
    }
  }

  private async startLink(): Promise<SessionLink> {
    const session = await startPortSession(this.options.api, this.target, this.options.startRetry)
    this.log.info(`session ${session.sessionId} started`, this.target.id)
    const linkOptions: SessionLinkOptions = {
      api: this.options.api,
      clientId: this.clientId,
      logger: this.log.child(session.sessionId),
      wsOptions: this.options.wsOptions,
      dataChannel: this.options.dataChannel,
      resume: this.options.resume,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      terminateWaitMs: this.options.terminateWaitMs,
      keepaliveMs: this.options.keepaliveMs,
    }
    let link: SessionLink | null = null
    try {
      link = await SessionLink.open(session, linkOptions, {
        bytesIn: (n) => this.tracker.addBytes(n, 0),
        bytesOut: (n) => this.tracker.addBytes(0, n),
        streamsChanged: () => this.tracker.update({ openStreams: this.countStreams() }),
        resuming: () => this.refreshResumeState(),
        resumed: () => this.refreshResumeState(),
        connectError: () => this.onConnectError(),
        ended: (end) => link && this.onLinkEnded(link, end),
      })
    } catch (err) {
      await this.options.api.terminateSession(session.sessionId).catch(() => {})
      throw err instanceof PortholeError ? err : PortholeError.of('TUNNEL_CLOSED', toErrorInfo(err).message)
    }
    if (this.closingPromise && this.tracker.state !== 'starting') {
      // Closed while a resize was starting this session: do not leak it past teardown.
      await link.terminate()
      throw PortholeError.of('TUNNEL_CLOSED', 'The tunnel was closed while the pool grew')
    }
    this.links.push(link)
    this.tracker.update({ sessionIds: this.links.map((l) => l.sessionId) })
    return link
  }

  private accept(socket: Socket): void {
    const state = this.tracker.state
    const candidates = this.links.filter((l) => !l.isEnded)
    if ((state !== 'open' && state !== 'resuming') || candidates.length === 0) {
      socket.destroy()
      return
    }
    // Least work in flight first: each session has its own message-rate cap (pool-placement.ts).
    const i = pickSession(candidates.map((l) => l.load()))
    if (i < 0) socket.destroy()
    else candidates[i]!.addSocket(socket)
  }

  /**
   * Grows or shrinks the pool to `size` sessions without dropping a stream: new sessions start and
   * take new streams at once; extra ones (least loaded first) drain — no new streams, terminated
   * when their last stream ends. Resolves once the new sessions are up (drains finish later).
   */
  async resize(size: number): Promise<TunnelStatus> {
    if (!Number.isInteger(size) || size < 1 || size > MAX_SESSION_POOL)
      throw PortholeError.of('VALIDATION', `The session pool must be 1-${MAX_SESSION_POOL} sessions`)
    const state = this.tracker.state
    if (state !== 'open' && state !== 'resuming')
      throw PortholeError.of('TUNNEL_NOT_OPEN', 'The tunnel is not open')
    if (size > 1 && this.tracker.get().mode !== 'mux')
      throw PortholeError.of('UNAVAILABLE', 'The agent only supports basic mode: one session per tunnel')
    const active = this.links.filter((l) => !l.isEnded && !l.isDraining)
    if (size > active.length) {
      const started = await Promise.allSettled(
        Array.from({ length: size - active.length }, () => this.startLink()),
      )
      for (const r of started)
        if (r.status === 'rejected')
          this.log.warn(`pooled session failed: ${toErrorInfo(r.reason).message}`, this.target.id)
    } else if (size < active.length) {
      const extras = [...active].sort((a, b) => loadScore(a.load()) - loadScore(b.load()))
      for (const link of extras.slice(0, active.length - size)) {
        this.log.info(`session ${link.sessionId} draining (pool ${active.length} → ${size})`, this.target.id)
        void link.drain().then(() => this.onLinkDrained(link))
      }
      this.tracker.update({})
    }
    return this.tracker.get()
  }

  private onLinkDrained(link: SessionLink): void {
    if (!this.links.includes(link)) return
    this.links = this.links.filter((l) => l !== link)
    this.log.info(`session ${link.sessionId} drained and ended`, this.target.id)
    this.tracker.update({ sessionIds: this.links.map((l) => l.sessionId), openStreams: this.countStreams() })
  }

  private countStreams(): number {
    return this.links.reduce((n, l) => n + l.openStreams, 0)
  }

  private refreshResumeState(): void {
    const state = this.tracker.state
    if (state !== 'open' && state !== 'resuming') return
    const resuming = this.links.some((l) => !l.isEnded && l.isResuming)
    this.tracker.setState(resuming ? 'resuming' : 'open')
  }

  private onConnectError(): void {
    const where = `${this.target.rdsHost}:${this.target.rdsPort}`
    this.log.warn(`the instance could not reach ${where}`, this.target.id)
    this.tracker.update({
      lastError: {
        code: 'CONNECT_TO_PORT_FAILED',
        message: `The instance could not reach ${where}`,
        hint: 'Check the RDS endpoint and port, and that the instance security group may reach the database.',
      },
    })
  }

  private onLinkEnded(link: SessionLink, end: SessionEnd): void {
    this.links = this.links.filter((l) => l !== link)
    this.log.info(`session ${link.sessionId} ended: ${end.reason}`, this.target.id)
    if (this.closingPromise || this.tracker.state === 'starting') return
    if (this.links.length > 0) {
      this.tracker.update({
        sessionIds: this.links.map((l) => l.sessionId),
        openStreams: this.countStreams(),
      })
      return
    }
    const failed = end.error !== null && end.error.code !== 'TUNNEL_CLOSED'
    void this.teardown().then(() => {
      this.tracker.setState(failed ? 'failed' : 'closed', {
        lastError: end.error,
        endReason: end.reason,
        openStreams: 0,
      })
      this.tracker.dispose()
    })
  }

  private async doClose(): Promise<TunnelStatus> {
    const state = this.tracker.state
    if (state === 'closed' || state === 'failed' || state === 'idle') return this.tracker.get()
    this.tracker.setState('closing')
    await Promise.allSettled(this.links.map((l) => l.terminate()))
    await this.teardown()
    this.tracker.setState('closed', { endReason: 'Closed by the user', openStreams: 0 })
    this.tracker.dispose()
    return this.tracker.get()
  }

  private async teardown(): Promise<void> {
    const links = this.links
    this.links = []
    await Promise.allSettled(links.map((l) => l.terminate()))
    const listener = this.listener
    this.listener = null
    await listener?.close()
  }
}
