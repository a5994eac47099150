// Picks the protocol front for a target's engine and gives it the target's fixed facts.
import type { Logger } from '../base/logger'
import type { ClientRegistry } from './client-registry'
import { createMySqlFront } from './mysql-front'
import { createPgFront } from './pg-front'
import type { UpstreamRoute } from './pg-upstream'
import type { ProxyFront } from './proxy-front'

export interface TokenCount {
  signed: number
  lastAt: number | null
}

export interface FrontTarget {
  name: string
  engine: 'postgres' | 'mysql'
  dbUser: string
  database: string
}

export interface FrontLinks {
  secret: string
  /** MySQL: the option file holding the secret (named in refusals). */
  optionFile?: string
  registry: ClientRegistry
  logger: Logger
  route(): Promise<UpstreamRoute & { sessionIds: string[] }>
  signToken(): Promise<string>
}

/** The PostgreSQL or MySQL front for one target. */
export function createFront(target: FrontTarget, links: FrontLinks): ProxyFront {
  const common = {
    targetName: target.name,
    dbUser: target.dbUser,
    defaultDatabase: target.database,
    localSecret: () => links.secret,
    route: links.route,
    signToken: links.signToken,
    registry: links.registry,
    logger: links.logger,
  }
  if (target.engine === 'mysql')
    return createMySqlFront({ ...common, optionFile: () => links.optionFile ?? null })
  return createPgFront(common)
}
