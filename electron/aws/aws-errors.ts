// Turns what the AWS SDK throws into PortholeErrors with the words a user needs. The SDK's messages
// are stable enough to match on (see docs/rds-iam.md §E.2), and `name` carries the
// service's error type (`__type`) for modeled and unmodeled errors alike.
import { PortholeError } from '../../shared/errors'

interface SdkErrorLike {
  name?: string
  message?: string
  Code?: string
  $metadata?: { httpStatusCode?: number }
}

function parts(err: unknown): { name: string; message: string } {
  if (err && typeof err === 'object') {
    const e = err as SdkErrorLike
    return { name: String(e.name ?? e.Code ?? ''), message: String(e.message ?? '') }
  }
  return { name: '', message: String(err) }
}

function profileWords(profile: string | undefined): string {
  return profile ? `profile "${profile}"` : 'the default credential chain'
}

/** Extracts "action" and "resource" from an IAM AccessDenied message, when present. */
export function parseAccessDenied(message: string): { action?: string; resource?: string } {
  const action = /perform:\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1]
  const resource = /on resource:\s*(\S+?)(?:\s+because|[\s.]*$)/.exec(message)?.[1]
  return { action, resource }
}

/** Maps a credential-resolution failure (provider chain, SSO, STS, MFA) to a PortholeError. */
export function mapCredentialError(err: unknown, profile: string | undefined): PortholeError {
  if (err instanceof PortholeError) return err
  const { name, message } = parts(err)
  const who = profileWords(profile)
  const ssoHint = `Run: aws sso login${profile ? ` --profile ${profile}` : ''}`
  if (/sso/i.test(message) && /expired|invalid|refresh|sso login/i.test(message)) {
    return PortholeError.of('CREDENTIALS_EXPIRED', `The AWS SSO session for ${who} has expired.`, {
      hint: ssoHint,
      resolvableByLogin: true,
    })
  }
  // The portal refused the cached SSO access token (revoked, or signed out elsewhere).
  if (/UnauthorizedException/.test(name) || /Session token not found or invalid/i.test(message)) {
    return PortholeError.of('CREDENTIALS_EXPIRED', `The AWS SSO session for ${who} is no longer valid.`, {
      hint: ssoHint,
      resolvableByLogin: true,
    })
  }
  if (/multi-factor|mfa/i.test(message) || name === 'MfaCancelled') {
    return PortholeError.of('MFA_REQUIRED', `An MFA code is required for ${who} and none was given.`, {
      hint: 'Enter the current code from your MFA device.',
      resolvableByLogin: true,
    })
  }
  if (/region is missing/i.test(message)) return regionMissing()
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || /token.*expired/i.test(message)) {
    return PortholeError.of('CREDENTIALS_EXPIRED', `The AWS credentials of ${who} have expired.`, {
      hint: profile ? `Refresh the credentials of profile ${profile} and try again.` : undefined,
      resolvableByLogin: true,
    })
  }
  if (/AccessDenied/i.test(name)) return mapAccessDenied(message)
  if (
    /could not (load|resolve) credentials|could not be found|CredentialsProviderError/i.test(
      `${name} ${message}`,
    )
  ) {
    return PortholeError.of('CREDENTIALS_MISSING', `No AWS credentials were found for ${who}.`, {
      hint: 'Configure a profile in ~/.aws/config or run aws configure.',
    })
  }
  return PortholeError.of('CREDENTIALS_MISSING', `Could not resolve AWS credentials for ${who}: ${message}`, {
    hint: 'Configure a profile in ~/.aws/config or run aws configure.',
  })
}

/** The error for a target or profile without a region. */
export function regionMissing(): PortholeError {
  return PortholeError.of('REGION_MISSING', 'No AWS region is set for this target.', {
    hint: 'Set the region in the target, or region= in the profile.',
  })
}

/** Maps an AccessDenied message to ACCESS_DENIED naming the action and resource. */
export function mapAccessDenied(message: string): PortholeError {
  const { action, resource } = parseAccessDenied(message)
  const what = action ? `${action}${resource ? ` on ${resource}` : ''}` : 'this request'
  return PortholeError.of('ACCESS_DENIED', `AWS denied ${what}.`, {
    hint: action
      ? `Ask for an IAM policy allowing ${action}${resource ? ` on ${resource}` : ''}.`
      : `AWS said: ${message}`,
  })
}

/** Maps an AWS service call failure (SSM, STS) that is not specific to one API. */
export function mapServiceError(err: unknown, profile: string | undefined): PortholeError {
  if (err instanceof PortholeError) return err
  const { name, message } = parts(err)
  if (/AccessDenied/i.test(name)) return mapAccessDenied(message)
  if (
    name === 'ThrottlingException' ||
    name === 'TooManyRequestsException' ||
    /Rate exceeded/i.test(message)
  ) {
    return PortholeError.of('THROTTLED', 'AWS is throttling requests (rate exceeded).', {
      hint: 'Wait a few seconds and try again.',
    })
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken' || name === 'UnrecognizedClientException') {
    return PortholeError.of(
      'CREDENTIALS_EXPIRED',
      `AWS did not accept the credentials of ${profileWords(profile)} (expired or revoked session).`,
      { hint: 'Sign in again or refresh the profile credentials.', resolvableByLogin: true },
    )
  }
  if (name === 'InvalidSignatureException' || name === 'SignatureDoesNotMatch') {
    return PortholeError.of(
      'CREDENTIALS_MISSING',
      `AWS rejected the request signature: the secret key of ${profileWords(profile)} does not match its access key.`,
      { hint: 'Check the keys of the profile (aws configure).' },
    )
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(name)) return mapCredentialError(err, profile)
  if (/region is missing/i.test(message)) return regionMissing()
  return PortholeError.of('INTERNAL', `AWS request failed: ${name ? `${name}: ` : ''}${message}`)
}
