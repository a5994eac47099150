// "Who am I" for a profile (target form, discovery, porthole login): STS GetCallerIdentity with
// the profile's resolved credentials. The per-target, cached variant for the audit log is caller-identity.ts.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { CallerIdentity } from '../../shared/ipc/aws-models'
import { mapServiceError } from './aws-errors'
import type { CredentialProvider } from './credentials'

/** Asks STS who the credentials belong to; errors come back as PortholeErrors. */
export async function getCallerIdentity(options: {
  profile?: string
  region: string
  endpoint?: string
  credentials: CredentialProvider
}): Promise<CallerIdentity> {
  const sts = new STSClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: () => options.credentials(),
    maxAttempts: 3,
  })
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}))
    return {
      profile: options.profile ?? null,
      arn: out.Arn ?? '',
      account: out.Account ?? '',
      userId: out.UserId ?? '',
    }
  } catch (err) {
    throw mapServiceError(err, options.profile)
  } finally {
    sts.destroy()
  }
}
