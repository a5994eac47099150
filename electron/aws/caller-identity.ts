// Who the AWS credentials of a target belong to (STS GetCallerIdentity), for the audit log.
// Cached per credential source: the answer changes only when the credentials do.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { Target } from '../../shared/target-schema'
import { type CredentialResolver, type CredentialSource, credentialSourceKey } from './credentials'
import { resolveEndpoint } from './endpoints'

export interface CallerIdentityOptions {
  resolver: CredentialResolver
  env?: NodeJS.ProcessEnv
  /** Where a routed target's credentials come from (electron/engine/target-routing.ts decides). */
  sourceFor(target: Target): CredentialSource
}

/** Returns `principalFor(target)`: the caller ARN, or null when STS cannot be asked. */
export function createCallerIdentity(
  options: CallerIdentityOptions,
): (target: Target) => Promise<string | null> {
  const cache = new Map<string, Promise<string | null>>()
  return (target) => {
    const source = options.sourceFor(target)
    const key = `${credentialSourceKey(source)}|${target.region}|${target.endpointUrl ?? ''}`
    let arn = cache.get(key)
    if (!arn) {
      const credentials = options.resolver.forTarget(source)
      const client = new STSClient({
        region: target.region,
        endpoint: resolveEndpoint('sts', target, options.env),
        credentials: () => credentials(),
        maxAttempts: 2,
      })
      arn = client
        .send(new GetCallerIdentityCommand({}))
        .then((out) => out.Arn ?? null)
        .catch(() => {
          cache.delete(key) // ask again next time rather than remembering a failure
          return null
        })
        .finally(() => client.destroy())
      cache.set(key, arn)
    }
    return arn
  }
}
