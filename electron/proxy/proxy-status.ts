// The ProxyStatus the UI and CLI see, built from what a running proxy holds (or a stopped target).
import type { ProxyStatus } from '../../shared/ipc/proxy-models'
import type { TargetId } from '../../shared/target-schema'
import type { ProxyClient } from './client-registry'

/** The target fields a status names. */
export interface StatusTarget {
  id: TargetId
  engine: 'postgres' | 'mysql'
  dbUser: string
  database: string
  proxyCloseTunnelAfterMinutes?: number
}

/** A proxy that is not running (never started, or stopped). */
export function stoppedStatus(target: StatusTarget, now: number): ProxyStatus {
  return {
    targetId: target.id,
    state: 'stopped',
    engine: target.engine,
    host: '127.0.0.1',
    port: null,
    socketDir: null,
    pgpassFile: null,
    optionFile: null,
    user: target.dbUser,
    database: target.database,
    clients: [],
    closeTunnelAfterMinutes: target.proxyCloseTunnelAfterMinutes ?? null,
    tokensSigned: 0,
    lastTokenAt: null,
    since: now,
    lastError: null,
  }
}

/** A listening proxy and its clients right now. */
export function listeningStatus(run: {
  target: StatusTarget
  port: number
  socketDir: string | null
  pgpassFile: string | null
  optionFile: string | null
  clients: ProxyClient[]
  tokens: { signed: number; lastAt: number | null }
  since: number
}): ProxyStatus {
  return {
    ...stoppedStatus(run.target, run.since),
    state: 'listening',
    port: run.port,
    socketDir: run.socketDir,
    pgpassFile: run.pgpassFile,
    optionFile: run.optionFile,
    clients: run.clients,
    tokensSigned: run.tokens.signed,
    lastTokenAt: run.tokens.lastAt,
  }
}
