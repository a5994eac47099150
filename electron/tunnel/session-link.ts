// One SSM session of a tunnel: its WebSocket, data channel and relay (smux or basic), kept alive
// across WebSocket losses with ResumeSession (fresh token, SAME StreamUrl, same sequence state,
// docs/protocol.md §1), and ended with the TerminateSession flag + API (docs/protocol.md §7).
import type { Socket } from 'node:net'
import type { ClientOptions } from 'ws'
import { type ErrorInfo, PortholeError, toErrorInfo } from '../../shared/errors'
import type { Logger } from '../base/logger'
import { chooseMode, supportsTerminateFlag } from './agent-version'
import { type BackoffPolicy, backoffDelay, PLUGIN_RETRY, sleep } from './backoff'
import { BasicRelay } from './basic-relay'
import { DataChannel, type DataChannelOptions } from './data-channel'
import { NEW_STREAM_MS, type SessionLoad } from './pool-placement'
import { RateMeter } from './rate-meter'
import type { Relay, RelayEvents } from './relay'
import { SmuxSession } from './smux-session'
import { PortFlag } from './ssm-message-codec'
import type { SsmSessionApi } from './ssm-session-api'
import { openStreamSocket, type StreamSocket } from './stream-socket'

export interface SessionInfo {
  sessionId: string
  streamUrl: string
  tokenValue: string
}

export interface SessionLinkOptions {
  api: SsmSessionApi
  clientId: string
  logger: Logger
  wsOptions?: ClientOptions
  dataChannel?: DataChannelOptions
  resume?: BackoffPolicy
  handshakeTimeoutMs?: number
  /** How long close waits for the TerminateSession flag's ack or channel_closed. */
  terminateWaitMs?: number
  keepaliveMs?: number
  pingMs?: number
}

export interface SessionEnd {
  reason: string
  error: ErrorInfo | null
}

export interface SessionLinkEvents extends RelayEvents {
  resuming?(): void
  resumed?(): void
  /** The session ended on its own (service closed it, resume failed, protocol error). */
  ended?(end: SessionEnd): void
  /** The agent could not dial the destination for a new stream. */
  connectError?(): void
}

/** A live data channel for one SSM session. */
export class SessionLink {
  readonly sessionId: string
  readonly channel: DataChannel
  mode: 'basic' | 'mux' | null = null
  relay: Relay | null = null
  private socket: StreamSocket | null = null
  private closing = false
  /** True between a WebSocket loss and a successful reconnect. */
  isResuming = false
  private ended = false
  /** Pool shrinking: takes no new streams and terminates when its last stream ends. */
  private draining: Promise<void> | null = null
  private finishDrain: () => void = () => {}
  private readonly inMeter = new RateMeter()
  /** When streams were placed here, for the last NEW_STREAM_MS (pool placement). */
  private readonly placedAt: number[] = []
  private readyWaiter: { resolve(): void; reject(e: Error): void } | null = null
  private serviceClosed: () => void = () => {}

  private constructor(
    private readonly session: SessionInfo,
    private readonly options: SessionLinkOptions,
    private readonly events: SessionLinkEvents,
  ) {
    this.sessionId = session.sessionId
    const log = options.logger
    const relayEvents: RelayEvents = {
      ...events,
      bytesIn: (n) => {
        this.inMeter.add(n)
        events.bytesIn?.(n)
      },
      streamsChanged: () => {
        events.streamsChanged?.()
        if (this.draining && this.openStreams === 0) this.finishDrain()
      },
    }
    this.channel = new DataChannel(
      {
        handshake: (req) => {
          if (req.properties.type && req.properties.type !== 'LocalPortForwarding')
            log.warn(`session type is ${req.properties.type}, expected LocalPortForwarding`)
          const choice = chooseMode(req.agentVersion)
          this.mode = choice.mode
          log.info(
            `agent ${req.agentVersion || '(unknown)'}: ${choice.mode} mode${choice.keepalive ? ' with keepalive' : ''}`,
          )
          this.relay =
            choice.mode === 'mux'
              ? new SmuxSession(this.channel, {
                  keepalive: choice.keepalive,
                  keepaliveMs: options.keepaliveMs,
                  logger: log,
                  events: relayEvents,
                  onProtocolError: (m) => this.end({ reason: m, error: { code: 'INTERNAL', message: m } }),
                })
              : new BasicRelay(this.channel, relayEvents, log)
        },
        ready: () => this.readyWaiter?.resolve(),
        output: (data) => this.relay?.receive(data),
        flag: (flag) => {
          if (flag === PortFlag.ConnectToPortError) events.connectError?.()
        },
        closed: ({ output }) => {
          this.serviceClosed()
          const reason = output || `Session ${this.sessionId} was closed by Session Manager`
          this.end({ reason, error: { code: 'TUNNEL_CLOSED', message: reason } })
        },
        drain: () => this.relay?.onDrain(),
        acceptOutput: () => (this.relay ? this.relay.acceptOutput() : true),
      },
      { logger: log, ...options.dataChannel },
    )
  }

  /** Connects to the session's StreamUrl and completes the handshake. */
  static async open(
    session: SessionInfo,
    options: SessionLinkOptions,
    events: SessionLinkEvents,
  ): Promise<SessionLink> {
    const link = new SessionLink(session, options, events)
    const ready = new Promise<void>((resolve, reject) => {
      link.readyWaiter = { resolve, reject }
    })
    ready.catch(() => {}) // observed below; avoids an unhandled rejection while connecting
    const timeoutMs = options.handshakeTimeoutMs ?? 20_000
    const timer = setTimeout(
      () =>
        link.readyWaiter?.reject(
          new Error(`The SSM agent did not complete the handshake within ${timeoutMs / 1000} s`),
        ),
      timeoutMs,
    )
    try {
      await link.connect(session.tokenValue)
      link.channel.start()
      await ready
      return link
    } catch (err) {
      link.closing = true // the caller gets the error; no `ended` event on top
      link.end({ reason: 'handshake failed', error: null })
      throw err
    } finally {
      clearTimeout(timer)
      link.readyWaiter = null
    }
  }

  get agentVersion(): string | null {
    return this.channel.agentVersion
  }

  get openStreams(): number {
    return this.relay?.openStreams ?? 0
  }

  get isEnded(): boolean {
    return this.ended || this.closing
  }

  /** True once `drain` was called. */
  get isDraining(): boolean {
    return this.draining !== null
  }

  /** The load the pool places new streams by (see pool-placement.ts). */
  load(): SessionLoad & { sessionId: string } {
    const since = Date.now() - NEW_STREAM_MS
    while (this.placedAt.length && this.placedAt[0]! <= since) this.placedAt.shift()
    return {
      sessionId: this.sessionId,
      openStreams: this.openStreams,
      newStreams: this.placedAt.length,
      bytesInFlight: this.channel.bytesInFlight + (this.relay?.localBacklog ?? 0),
      inRate: Math.round(this.inMeter.perSecond),
      accepting: !this.isEnded && !this.draining && this.relay !== null,
    }
  }

  /**
   * Stops taking new streams and terminates the session once its open streams have ended, so a
   * shrinking pool never cuts a live connection. Resolves when the session is terminated.
   */
  drain(): Promise<void> {
    this.draining ??= new Promise<void>((resolve) => {
      this.finishDrain = () => {
        this.finishDrain = () => {}
        void this.terminate().then(resolve)
      }
      if (this.openStreams === 0 || this.isEnded) this.finishDrain()
    })
    return this.draining
  }

  /** Hands an accepted local socket to the relay. */
  addSocket(socket: Socket): void {
    if (!this.relay || this.isEnded) socket.destroy()
    else {
      this.relay.addSocket(socket)
      this.placedAt.push(Date.now())
    }
  }

  /** Flag, short wait for its ack or channel_closed, TerminateSession API, then close everything. */
  async terminate(): Promise<void> {
    if (this.ended || this.closing) return
    this.closing = true
    const version = this.agentVersion ?? ''
    const flagOk = this.mode === 'mux' || supportsTerminateFlag(version)
    if (this.socket?.isOpen && this.channel.handshakeComplete && flagOk) {
      const closed = new Promise<void>((resolve) => {
        this.serviceClosed = resolve
      })
      await Promise.race([
        this.channel.sendFlag(PortFlag.TerminateSession),
        closed,
        sleep(this.options.terminateWaitMs ?? 1500),
      ])
    }
    this.relay?.close()
    this.channel.stop()
    await Promise.race([
      this.options.api
        .terminateSession(this.sessionId)
        .catch((err) => this.options.logger.warn(`TerminateSession failed: ${toErrorInfo(err).message}`)),
      sleep(3000),
    ])
    this.socket?.close()
    this.ended = true
  }

  private async connect(tokenValue: string): Promise<void> {
    const socket = await openStreamSocket({
      url: this.session.streamUrl,
      tokenValue,
      clientId: this.options.clientId,
      clientVersion: this.options.dataChannel?.clientVersion,
      logger: this.options.logger,
      pingMs: this.options.pingMs,
      wsOptions: this.options.wsOptions,
      onMessage: (frame) => this.channel.receive(frame),
      onClose: (code, reason) => this.onSocketClose(socket, code, reason),
    })
    if (this.ended || this.closing) {
      socket.close()
      return
    }
    this.socket = socket
    this.channel.attach((frame) => socket.send(frame))
  }

  private onSocketClose(socket: StreamSocket, code: number, reason: string): void {
    if (socket !== this.socket) return
    this.channel.detach()
    if (this.ended || this.closing) return
    const why = `data channel closed (${code}${reason ? ` ${reason}` : ''})`
    if (!this.channel.handshakeComplete) {
      this.readyWaiter?.reject(new Error(`The ${why} during the handshake`))
      return
    }
    this.options.logger.warn(`${why}; resuming session ${this.sessionId}`)
    void this.resume()
  }

  private async resume(): Promise<void> {
    this.isResuming = true
    this.events.resuming?.()
    const policy = this.options.resume ?? PLUGIN_RETRY
    let last: unknown = null
    for (let attempt = 0; attempt < policy.attempts; attempt++) {
      await sleep(backoffDelay(policy, attempt))
      if (this.ended || this.closing) return
      try {
        const fresh = await this.options.api.resumeSession(this.sessionId)
        if (!fresh.tokenValue) {
          const reason = `Session ${this.sessionId} timed out`
          this.end({ reason, error: { code: 'TUNNEL_CLOSED', message: 'The session timed out' } })
          return
        }
        await this.connect(fresh.tokenValue) // same StreamUrl, same sequence state (docs/protocol.md §1)
        if (this.ended || this.closing) return
        this.options.logger.info(`session ${this.sessionId} resumed`)
        this.isResuming = false
        this.events.resumed?.()
        return
      } catch (err) {
        last = err
        this.options.logger.warn(`resume attempt ${attempt + 1} failed: ${toErrorInfo(err).message}`)
        if (
          err instanceof PortholeError &&
          ['ACCESS_DENIED', 'NOT_FOUND', 'CREDENTIALS_EXPIRED'].includes(err.code)
        )
          break
      }
    }
    const info = last ? toErrorInfo(last) : null
    const message = `Lost the connection to Session Manager and could not resume${info ? `: ${info.message}` : ''}`
    this.end({ reason: message, error: { code: 'TUNNEL_CLOSED', message } })
  }

  private end(end: SessionEnd): void {
    if (this.ended) return
    this.ended = true
    this.channel.stop()
    this.relay?.close()
    this.socket?.close()
    this.readyWaiter?.reject(new Error(end.reason))
    if (!this.closing) this.events.ended?.(end)
  }
}
