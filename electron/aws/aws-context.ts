// The SSM client of one target: its region, its endpoint override and the credentials of the
// source the engine resolved for it (a profile, or the demo simulator's keys).
import type { Target } from '../../shared/target-schema'
import type { SsmSessionApi } from '../tunnel/ssm-session-api'
import { regionMissing } from './aws-errors'
import type { CredentialResolver, CredentialSource } from './credentials'
import { resolveEndpoint } from './endpoints'
import { createSsmSessionApi } from './ssm-api'

export interface TargetSsmApiOptions {
  resolver: CredentialResolver
  /** Where the target's credentials come from (electron/engine/target-routing.ts decides). */
  source: CredentialSource
  env?: NodeJS.ProcessEnv
}

/** Creates the SSM session API of a target; throws REGION_MISSING without a region. */
export function createTargetSsmApi(
  target: Pick<Target, 'region' | 'endpointUrl'>,
  options: TargetSsmApiOptions,
): SsmSessionApi & { destroy(): void } {
  if (!target.region) throw regionMissing()
  return createSsmSessionApi({
    region: target.region,
    endpoint: resolveEndpoint('ssm', target, options.env ?? process.env),
    credentials: options.resolver.forTarget(options.source),
    profile: options.source.profile,
  })
}
