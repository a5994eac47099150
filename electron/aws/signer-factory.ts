// The `signerFor(target)` the DbService needs: one TokenSigner per (region, credential source),
// all sharing the resolver's cached credentials.
import type { Target } from '../../shared/target-schema'
import type { AwsCredentials } from './aws-types'
import type { CredentialResolver } from './credentials'
import { createTokenSigner, type TokenSigner } from './iam-token'

export interface SignerFactoryOptions {
  resolver: CredentialResolver
  /** Static credentials for demo/simulator targets; undefined means the target's profile. */
  staticCredentials?: (target: Target) => AwsCredentials | undefined
}

/** Returns `signerFor(target)`, caching signers per region and credential source. */
export function createSignerFactory(options: SignerFactoryOptions): (target: Target) => TokenSigner {
  const cache = new Map<string, TokenSigner>()
  return (target) => {
    const fixed = options.staticCredentials?.(target)
    const key = `${target.region}|${fixed ? `static:${fixed.accessKeyId}` : `profile:${target.awsProfile ?? ''}`}`
    let signer = cache.get(key)
    if (!signer) {
      const credentials = options.resolver.forTarget(
        fixed ? { static: fixed } : { profile: target.awsProfile || undefined },
      )
      signer = createTokenSigner({ credentials, region: target.region })
      cache.set(key, signer)
    }
    return signer
  }
}
