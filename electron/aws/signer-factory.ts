// The `signerFor(target)` the DbService needs: one TokenSigner per (region, credential source),
// all sharing the resolver's cached credentials.
import type { Target } from '../../shared/target-schema'
import type { CredentialResolver, CredentialSource } from './credentials'
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

/** A cache key naming a credential source without its secret. */
export function credentialSourceKey(source: CredentialSource): string {
  return source.static ? `static:${source.static.accessKeyId}` : `profile:${source.profile ?? ''}`
}
