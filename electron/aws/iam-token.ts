// RDS IAM tokens. The signer takes the target's RDS endpoint fields, never a host to dial, so a
// token bound to 127.0.0.1 or the tunnel's local port cannot be produced (docs/rds-iam.md §0.3).
import { isIP } from 'node:net'
import { Signer } from '@aws-sdk/rds-signer'
import { PortholeError } from '../../shared/errors'
import type { Target } from '../../shared/target-schema'
import { regionMissing } from './aws-errors'
import type { AwsCredentials } from './aws-types'
import type { CredentialProvider } from './credentials'

/** The target fields a token is bound to. */
export type TokenTarget = Pick<Target, 'rdsHost' | 'rdsPort' | 'dbUser'>

export interface IamToken {
  /** The secret: never log, store or send it to the renderer unless the user asks to copy it. */
  token: string
  issuedAt: number
  /** min(issuedAt + 15 min, credentials expiry). */
  expiresAt: number
}

export interface TokenSigner {
  signToken(target: TokenTarget, options?: { forceRefresh?: boolean }): Promise<IamToken>
}

export interface TokenSignerOptions {
  credentials: CredentialProvider
  region: string
  /** Clock for the lifetime bookkeeping; the SDK signs with `new Date()`. */
  now?: () => number
}

const TOKEN_LIFETIME_MS = 15 * 60_000

/** Creates a signer that mints a fresh token per call with (cached) credentials. */
export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  const now = options.now ?? (() => Date.now())
  if (!options.region) throw regionMissing()

  // Like the SDK Signer's own wrapper: credentials that die within a token's lifetime are
  // refreshed first so a token never outlives the keys that signed it by surprise.
  const credentialsFor = async (forceRefresh: boolean): Promise<AwsCredentials> => {
    const creds = await options.credentials(forceRefresh ? { forceRefresh } : undefined)
    if (!forceRefresh && creds.expiration && creds.expiration.getTime() - now() < TOKEN_LIFETIME_MS) {
      try {
        const refreshed = await options.credentials({ forceRefresh: true })
        if (!refreshed.expiration || refreshed.expiration > creds.expiration) return refreshed
      } catch {
        // keep the still-valid credentials; the token lifetime below says how long they last
      }
    }
    return creds
  }

  return {
    async signToken(target, opts) {
      // RDS only accepts tokens signed for its endpoint name; an IP or localhost is always a bug.
      if (isIP(target.rdsHost) || /^localhost\.?$/i.test(target.rdsHost))
        throw PortholeError.of(
          'VALIDATION',
          `Refusing to sign an IAM token for ${target.rdsHost}: use the RDS endpoint name.`,
        )
      const creds = await credentialsFor(Boolean(opts?.forceRefresh))
      const issuedAt = now()
      const signer = new Signer({
        hostname: target.rdsHost,
        port: target.rdsPort,
        username: target.dbUser,
        region: options.region,
        credentials: {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken: creds.sessionToken,
        },
      })
      const token = await signer.getAuthToken()
      const credsEnd = creds.expiration?.getTime() ?? Number.POSITIVE_INFINITY
      return { token, issuedAt, expiresAt: Math.min(issuedAt + TOKEN_LIFETIME_MS, credsEnd) }
    },
  }
}
