// The alternative backend: AWS's session-manager-plugin, spawned the way the AWS CLI does
// (docs/rds-iam.md §D.2). The StartSession response (with its token) goes through an
// environment variable, never argv; credentials too. Its stdout becomes the same TunnelStatus.
import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { PortholeError, toErrorInfo } from '../../shared/errors'
import type { Unsubscribe } from '../../shared/ipc/contract'
import type { TunnelStatus } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import type { Logger } from '../base/logger'
import { sleep } from './backoff'
import { LineSplitter, type PluginEvent, parsePluginLine } from './plugin-parser'
import type { SsmSessionApi } from './ssm-session-api'
import { StatusTracker } from './status-tracker'
import { PORT_FORWARDING_DOCUMENT, startPortSession, type TunnelHandle } from './tunnel'

export const PLUGIN_COMMAND = 'session-manager-plugin'

/** What the plugin needs besides the API. */
export interface PluginContext {
  region: string
  profile?: string
  /** SSM endpoint URL passed as the 6th argument. */
  endpoint?: string
  /** Extra environment, e.g. AWS_ACCESS_KEY_ID/… resolved in-process (the plugin signs its own calls). */
  env?: NodeJS.ProcessEnv
  /** Executable; default: session-manager-plugin found on PATH. */
  command?: string
  /** Arguments before the plugin's own (tests run a node script). */
  prefixArgs?: string[]
  openTimeoutMs?: number
}

/** Finds an executable on PATH; null when absent. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const ext of exts) {
      const file = join(dir, name + ext)
      try {
        accessSync(file, constants.X_OK)
        return file
      } catch {
        // not here
      }
    }
  }
  return null
}

let responseCounter = 0

/** A tunnel run by session-manager-plugin. */
export class PluginTunnel implements TunnelHandle {
  private readonly tracker: StatusTracker
  private child: ChildProcess | null = null
  private sessionId: string | null = null
  private opening: Promise<TunnelStatus> | null = null
  private closing: Promise<TunnelStatus> | null = null
  private exited: Promise<void> = Promise.resolve()
  private onOpened: ((port: number) => void) | null = null
  private onFailed: ((err: PortholeError) => void) | null = null

  constructor(
    readonly target: Target,
    private readonly deps: { api: SsmSessionApi; logger: Logger; context: PluginContext },
  ) {
    this.tracker = new StatusTracker(target)
  }

  /** A status snapshot. */
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

  /** StartSession, spawn the plugin, resolve when it prints "Port N opened". */
  open(): Promise<TunnelStatus> {
    this.opening ??= this.doOpen()
    return this.opening
  }

  /** SIGTERM the plugin, call TerminateSession, resolve with the final status. */
  close(): Promise<TunnelStatus> {
    this.closing ??= this.doClose()
    return this.closing
  }

  private async doOpen(): Promise<TunnelStatus> {
    const ctx = this.deps.context
    this.tracker.setState('starting', { mode: 'plugin' })
    try {
      const command = ctx.command ?? findOnPath(PLUGIN_COMMAND)
      if (!command)
        throw PortholeError.of('UNAVAILABLE', 'session-manager-plugin is not on PATH', {
          hint: 'Install the Session Manager plugin, or switch this target to the native backend.',
        })
      const localPort = String(this.target.localPort ?? 0)
      const session = await startPortSession(this.deps.api, this.target, undefined, localPort)
      this.sessionId = session.sessionId
      this.tracker.update({ sessionIds: [session.sessionId] })
      const envName = `AWS_SSM_START_SESSION_RESPONSE_${process.pid}_${++responseCounter}`
      const request = {
        Target: this.target.instanceId,
        DocumentName: PORT_FORWARDING_DOCUMENT,
        Parameters: {
          host: [this.target.rdsHost],
          portNumber: [String(this.target.rdsPort)],
          localPortNumber: [localPort],
        },
      }
      const args = [
        ...(ctx.prefixArgs ?? []),
        envName,
        ctx.region,
        'StartSession',
        ctx.profile ?? '',
        JSON.stringify(request),
        ctx.endpoint ?? `https://ssm.${ctx.region}.amazonaws.com`,
      ]
      const env = {
        ...process.env,
        ...ctx.env,
        [envName]: JSON.stringify({
          SessionId: session.sessionId,
          StreamUrl: session.streamUrl,
          TokenValue: session.tokenValue,
        }),
      }
      const port = await this.spawnAndWait(command, args, env, ctx.openTimeoutMs ?? 30_000)
      this.tracker.setState('open', { localPort: port })
      return this.tracker.get()
    } catch (err) {
      const info = toErrorInfo(err)
      this.child?.kill('SIGKILL')
      if (this.sessionId) await this.deps.api.terminateSession(this.sessionId).catch(() => {})
      this.tracker.setState('failed', { lastError: info, endReason: info.message })
      throw err instanceof PortholeError ? err : new PortholeError(info)
    }
  }

  private spawnAndWait(
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    timeoutMs: number,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(PortholeError.of('TIMEOUT', 'session-manager-plugin did not open a port in time')),
        timeoutMs,
      )
      this.onOpened = (port) => {
        clearTimeout(timer)
        resolve(port)
      }
      this.onFailed = (err) => {
        clearTimeout(timer)
        reject(err)
      }
      const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
      this.child = child
      const out = new LineSplitter()
      const stderr: string[] = []
      child.stdout?.setEncoding('utf8').on('data', (c: string) => {
        for (const line of out.push(c)) this.onLine(line)
      })
      child.stderr?.setEncoding('utf8').on('data', (c: string) => stderr.push(c))
      this.exited = new Promise((done) => {
        child.on('error', (err) => {
          this.onFailed?.(
            PortholeError.of('UNAVAILABLE', `Cannot run session-manager-plugin: ${err.message}`),
          )
          done()
        })
        child.on('exit', () => {
          for (const line of out.flush()) this.onLine(line)
          this.onExit(stderr.join('').trim())
          done()
        })
      })
    })
  }

  private onLine(line: string): void {
    const event = parsePluginLine(line)
    if (!event) return
    this.deps.logger.debug(`plugin: ${event.kind}`, this.target.id)
    this.apply(event)
  }

  private lastEnd: { reason: string; timeout: boolean } | null = null

  private apply(e: PluginEvent): void {
    switch (e.kind) {
      case 'port-opened':
        this.onOpened?.(e.port)
        break
      case 'connection-accepted':
        this.tracker.update({ openStreams: Math.max(1, this.tracker.get().openStreams) })
        break
      case 'connect-failed':
        this.tracker.update({
          lastError: {
            code: 'CONNECT_TO_PORT_FAILED',
            message: `The instance could not reach ${this.target.rdsHost}:${this.target.rdsPort}`,
          },
        })
        break
      case 'ended':
        this.lastEnd = { reason: e.reason, timeout: false }
        break
      case 'timed-out':
        this.lastEnd = { reason: `Session ${e.sessionId} timed out`, timeout: true }
        break
      case 'exiting':
        this.lastEnd ??= { reason: `Session ${e.sessionId} ended`, timeout: false }
        break
      case 'start-failed':
        this.onFailed?.(
          PortholeError.of('TUNNEL_CLOSED', `session-manager-plugin could not start: ${e.message}`),
        )
        break
      default:
    }
  }

  private onExit(stderr: string): void {
    this.child = null
    const reason = this.lastEnd?.reason ?? (stderr || 'session-manager-plugin exited')
    this.onFailed?.(PortholeError.of('TUNNEL_CLOSED', reason))
    this.onFailed = null
    const state = this.tracker.state
    if (this.closing || (state !== 'open' && state !== 'resuming')) return
    this.tracker.setState('closed', {
      endReason: reason,
      lastError: { code: 'TUNNEL_CLOSED', message: reason },
      openStreams: 0,
    })
  }

  private async doClose(): Promise<TunnelStatus> {
    const state = this.tracker.state
    if (state !== 'open' && state !== 'starting' && state !== 'resuming') return this.tracker.get()
    this.tracker.setState('closing')
    const child = this.child
    if (child) {
      child.kill('SIGTERM')
      await Promise.race([this.exited, sleep(3000)])
      if (this.child) child.kill('SIGKILL')
    }
    // In mux mode the plugin only sends the flag; the API makes the end certain.
    if (this.sessionId) await this.deps.api.terminateSession(this.sessionId).catch(() => {})
    this.tracker.setState('closed', { endReason: 'Closed by the user', openStreams: 0 })
    this.tracker.dispose()
    return this.tracker.get()
  }
}
