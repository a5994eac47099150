// `porthole connect <target name or id>`: opens the target's tunnel, prints the local port and
// every status change, and closes cleanly (TerminateSession) on Ctrl-C / SIGTERM.

import { toErrorInfo } from '../../../shared/errors'
import type { TunnelStatus } from '../../../shared/ipc/models'
import type { Target } from '../../../shared/target-schema'
import type { TunnelService } from '../../tunnel/tunnel-service'
import { CONNECT_USAGE } from '../usage'

/** The part of TunnelService the command uses (the engine's handlers provide it in the CLI). */
export type TunnelControl = Pick<TunnelService, 'connect' | 'disconnect' | 'onStatus'>

export interface ConnectCommandDeps {
  /** Finds a saved target by exact id, then by name (case-insensitive). */
  findTarget(nameOrId: string): Promise<Target | undefined>
  tunnels: TunnelControl
  out?: (line: string) => void
  err?: (line: string) => void
  /** Ends the command like Ctrl-C (tests); by default SIGINT/SIGTERM do. */
  signal?: AbortSignal
}

/** Looks a target up in a list by id, then by case-insensitive name. */
export function matchTarget(targets: Target[], nameOrId: string): Target | undefined {
  const wanted = nameOrId.trim()
  return (
    targets.find((t) => t.id === wanted) ?? targets.find((t) => t.name.toLowerCase() === wanted.toLowerCase())
  )
}

function describeStatus(s: TunnelStatus): string {
  switch (s.state) {
    case 'open':
      return `open on 127.0.0.1:${s.localPort} (${s.mode ?? '?'} mode, agent ${s.agentVersion ?? '?'}, session ${s.sessionIds.join(', ')})`
    case 'closed':
    case 'failed':
      return `${s.state}${s.endReason ? `: ${s.endReason}` : ''}`
    default:
      return s.state
  }
}

/**
 * Runs the command; resolves with the process exit code: 0 when Ctrl-C closed the tunnel cleanly,
 * 1 when it failed to open, failed later or the service closed it, 2 for usage errors.
 */
export async function runConnectCommand(argv: string[], deps: ConnectCommandDeps): Promise<number> {
  const out = deps.out ?? ((l: string) => process.stdout.write(`${l}\n`))
  const err = deps.err ?? ((l: string) => process.stderr.write(`${l}\n`))
  const name = argv.filter((a) => !a.startsWith('-')).join(' ')
  if (!name) {
    err(CONNECT_USAGE)
    return 2
  }
  const target = await deps.findTarget(name)
  if (!target) {
    err(`No saved target named or with id "${name}". List them with: porthole targets`)
    return 2
  }
  let lastState = ''
  let lastErr = ''
  let ended: (s: TunnelStatus) => void = () => {}
  const finished = new Promise<TunnelStatus>((resolve) => {
    ended = resolve
  })
  const off = deps.tunnels.onStatus((s) => {
    if (s.targetId !== target.id) return
    if (s.state !== lastState) {
      lastState = s.state
      out(`tunnel ${describeStatus(s)}`)
    }
    const e = s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : ''
    if (e && e !== lastErr) err(`error ${e}${s.lastError?.hint ? ` (${s.lastError.hint})` : ''}`)
    lastErr = e
    if (s.state === 'closed' || s.state === 'failed') ended(s)
  })
  const stop = new Promise<'signal'>((resolve) => {
    const fire = () => resolve('signal')
    if (deps.signal) deps.signal.addEventListener('abort', fire, { once: true })
    else {
      process.once('SIGINT', fire)
      process.once('SIGTERM', fire)
    }
  })
  try {
    out(`connecting to ${target.name} (${target.instanceId} → ${target.rdsHost}:${target.rdsPort})...`)
    const status = await deps.tunnels.connect(target)
    out(`Listening on 127.0.0.1:${status.localPort}. Point your client there; Ctrl-C closes the tunnel.`)
    const why = await Promise.race([stop, finished])
    if (why === 'signal') {
      out('closing (TerminateSession)...')
      const final = await deps.tunnels.disconnect(target.id)
      return final.state === 'failed' ? 1 : 0
    }
    // The tunnel ended without Ctrl-C: the service closed it (idle timeout, max duration,
    // TerminateSession elsewhere) or it failed. Either way the caller's work was cut short.
    err(
      `tunnel ${why.state === 'failed' ? 'failed' : 'closed by the service'}${why.endReason ? `: ${why.endReason}` : ''}`,
    )
    return 1
  } catch (e) {
    const info = toErrorInfo(e)
    err(`error ${info.code}: ${info.message}${info.hint ? ` (${info.hint})` : ''}`)
    return 1
  } finally {
    off()
  }
}
