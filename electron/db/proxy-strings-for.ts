// The proxy strings for a running proxy of either engine: one decision, used by the app's
// connection-strings call and by `porthole url` (which reads the proxy's port lock).
import type { ProxyConnectionStrings } from '../../shared/ipc/proxy-models'
import { buildMySqlProxyConnectionStrings } from './mysql-proxy-connection-strings'
import { buildProxyConnectionStrings } from './proxy-connection-strings'

export interface RunningProxyFacts {
  engine: 'postgres' | 'mysql'
  port: number
  user: string
  database: string
  socketDir: string | null
  pgpassFile: string | null
  optionFile?: string | null
}

/** Strings for the proxy's engine. */
export function proxyStringsFor(p: RunningProxyFacts): ProxyConnectionStrings {
  if (p.engine === 'mysql')
    return buildMySqlProxyConnectionStrings({ ...p, optionFile: p.optionFile ?? null })
  return buildProxyConnectionStrings(p)
}
