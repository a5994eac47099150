// Everything AWS-facing for one target, built from the shared credential resolver.
import type { Target } from '../../shared/target-schema'
import { regionMissing } from './aws-errors'
import type { AwsContext } from './aws-types'
import type { CredentialResolver, CredentialSource } from './credentials'
import { resolveEndpoint } from './endpoints'
import { createSsmSessionApi } from './ssm-api'

export interface AwsContextOptions {
  resolver: CredentialResolver
  env?: NodeJS.ProcessEnv
  /** Static credentials for demo/simulator targets instead of the target's profile. */
  staticCredentials?: CredentialSource['static']
}

/** Creates the AwsContext of a target: region, endpoints, cached credentials and an SSM client. */
export function createAwsContext(
  target: Pick<Target, 'region' | 'awsProfile' | 'endpointUrl'>,
  options: AwsContextOptions,
): AwsContext {
  const env = options.env ?? process.env
  if (!target.region) throw regionMissing()
  const credentials = options.resolver.forTarget(
    options.staticCredentials
      ? { static: options.staticCredentials }
      : { profile: target.awsProfile || undefined },
  )
  const endpointFor = (service: 'ssm' | 'rds' | 'sts') => resolveEndpoint(service, target, env)
  return {
    region: target.region,
    endpointFor,
    credentials,
    ssm: createSsmSessionApi({
      region: target.region,
      endpoint: endpointFor('ssm'),
      credentials,
      profile: target.awsProfile,
    }),
  }
}
