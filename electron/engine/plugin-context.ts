// What the session-manager-plugin backend needs for one routed target: region, SSM endpoint and
// credentials. Credentials are resolved here, in-process (MFA prompts, SSO and assume-role work the
// same as for the native backend), and handed to the plugin as environment variables, never argv;
// the profile is then left empty so the plugin cannot pick other keys from ~/.aws.
import type { Target } from '../../shared/target-schema'
import type { CredentialResolver, CredentialSource } from '../aws/credentials'
import { resolveEndpoint } from '../aws/endpoints'
import type { PluginContext } from '../tunnel/plugin-backend'

/** How to run the plugin: default `session-manager-plugin` on PATH; tests run a node script. */
export interface PluginLaunch {
  command: string
  prefixArgs?: string[]
  openTimeoutMs?: number
}

export interface PluginContextOptions {
  source: CredentialSource
  resolver: CredentialResolver
  env: NodeJS.ProcessEnv
  launch?: PluginLaunch
}

/** Builds the plugin's context for a routed target. */
export async function createPluginContext(
  target: Target,
  options: PluginContextOptions,
): Promise<PluginContext> {
  const creds = await options.resolver.forTarget(options.source)()
  return {
    region: target.region,
    profile: '',
    endpoint: resolveEndpoint('ssm', target, options.env) ?? `https://ssm.${target.region}.amazonaws.com`,
    env: {
      ...options.env,
      AWS_PROFILE: '',
      AWS_DEFAULT_PROFILE: '',
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: creds.sessionToken ?? '',
      AWS_REGION: target.region,
    },
    ...(options.launch ?? {}),
  }
}
