// `porthole sim`: the simulator as a standalone process, with the exact settings to point the AWS
// SDK, the AWS CLI or Porthole at it. The keys are simulator-only and change every run.
import { DEMO } from '../shared/demo'
import { type Simulator, type SimulatorOptions, startSimulator } from './index'

/** The environment that plugs an AWS SDK or CLI into the simulator. */
export function simEnv(sim: Simulator): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: sim.endpoint,
    AWS_ACCESS_KEY_ID: sim.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sim.credentials.secretAccessKey,
    AWS_REGION: sim.region,
    AWS_EC2_METADATA_DISABLED: 'true',
  }
}

/** Starts the simulator and describes how to use it. */
export async function runStandaloneSimulator(
  options: SimulatorOptions = {},
): Promise<{ sim: Simulator; instructions: string }> {
  const sim = await startSimulator(options)
  const db = sim.databases[0]!
  const env = Object.entries(simEnv(sim))
    .map(([k, v]) => `  export ${k}=${v}`)
    .join('\n')
  const instructions = [
    `Porthole AWS simulator running (region ${sim.region}, account ${sim.accountId}).`,
    '',
    'Point the AWS SDK / CLI at it (simulator-only keys, new every run):',
    env,
    '',
    'A target for it (porthole targets add …):',
    `  --region ${sim.region} --instance ${sim.instances[0]?.instanceId ?? DEMO.instanceId} --host ${db.rdsHost} --port ${db.rdsPort}`,
    `  --database ${db.database} --user ${db.dbUser} --endpoint-url ${sim.endpoint} --ca-file ${sim.caFile}`,
    '',
    `Database upstream: ${db.upstreamKind}. RDS CA (trust it for verify-full): ${sim.caFile}`,
    '',
    'IAM Identity Center (sign-in and "Add from AWS"): also export',
    `  export AWS_ENDPOINT_URL_SSO=${sim.sso.endpoint} AWS_ENDPOINT_URL_SSO_OIDC=${sim.sso.endpoint}`,
    'and add to an AWS config file (AWS_CONFIG_FILE):',
    `  [profile sim-dev]\n  sso_session = sim\n  sso_account_id = ${sim.accountId}\n  sso_role_name = PortholeDeveloper\n  region = ${sim.region}`,
    `  [sso-session sim]\n  sso_start_url = ${sim.sso.startUrl}\n  sso_region = ${sim.sso.region}`,
    'Sign in with `porthole login sim-dev` (or the app) and approve the code on the page it links.',
    'Press Ctrl-C to stop.',
  ].join('\n')
  return { sim, instructions }
}
