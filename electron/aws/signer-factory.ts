// The `signerFor(target)` the DbService needs: one TokenSigner per (region, credential source),
// all sharing the resolver's cached credentials.
import type { Target } from '../../shared/target-schema'
import { type CredentialResolver, type CredentialSource, credentialSourceKey } from './credentials'
import { createTokenSigner, type TokenSigner } from './iam-token'

export interface SignerFactoryOptions {
  resolver: CredentialResolver
  /** Where a target's credentials come from (electron/engine/target-routing.ts decides). */
  sourceFor(target: Target): CredentialSource
}

/** Returns `signerFor(target)`, caching signers per region and credential source. */
export function createSignerFactory(options: SignerFactoryOptions): (target: Target) => TokenSigner {
  const cache = new Map<string, TokenSigner>()
  return (target) => {
    const source = options.sourceFor(target)
    const key = `${target.region}|${credentialSourceKey(source)}`
    let signer = cache.get(key)
    if (!signer) {
      signer = createTokenSigner({ credentials: options.resolver.forTarget(source), region: target.region })
      cache.set(key, signer)
    }
    return signer
  }
}
