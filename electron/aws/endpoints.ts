// Endpoint overrides, resolved once here and passed explicitly to every client so behaviour does
// not depend on which SDK version reads which environment variable.

/** Services Porthole calls; the env suffix is the upper-cased name (sso_oidc → _SSO_OIDC). */
export type AwsService = 'ssm' | 'rds' | 'sts' | 'ec2' | 'sso' | 'sso_oidc'

/**
 * The endpoint for `service`: the target's own override, then AWS_ENDPOINT_URL_<SERVICE>, then
 * AWS_ENDPOINT_URL; undefined means the SDK default. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns
 * the environment variables off, as in the SDKs.
 */
export function resolveEndpoint(
  service: AwsService,
  target: { endpointUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (target.endpointUrl) return target.endpointUrl
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined
  return env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL || undefined
}
