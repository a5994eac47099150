// `porthole sim`: the simulator as a standalone process, with the exact settings to point the AWS
// SDK, the AWS CLI or Porthole at it. The keys are simulator-only and change every run.
import { DEMO } from '../shared/demo'
import { type Simulator, type SimulatorOptions, startSimulator } from './index'
import type { NetworkAddress } from './network'

/** An extra destination inside the simulated VPC: `host:port` there leads to `to` on loopback. */
export interface SimForward {
  host: string
  port: number
  to: NetworkAddress
}

/** The environment that plugs an AWS SDK or CLI into the simulator. */
export function simEnv(sim: Simulator): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: sim.endpoint,
    AWS_ACCESS_KEY_ID: sim.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sim.credentials.secretAccessKey,
    AWS_REGION: sim.region,
    // botocore (the AWS CLI) reads AWS_DEFAULT_REGION, not AWS_REGION.
    AWS_DEFAULT_REGION: sim.region,
    AWS_EC2_METADATA_DISABLED: 'true',
  }
}

/** Everything a script needs, as one JSON-able object (endpoints, credentials, CA path, faults). */
export function describeSimulator(sim: Simulator, forwards: SimForward[] = []) {
  const f = sim.faults.agent
  return {
    endpoint: sim.endpoint,
    region: sim.region,
    accountId: sim.accountId,
    credentials: { ...sim.credentials },
    env: simEnv(sim),
    caFile: sim.caFile,
    streamService: `ws://127.0.0.1:${sim.agent.port}`,
    instances: sim.instances,
    databases: sim.databases.map((d) => ({
      dbInstanceIdentifier: d.dbInstanceIdentifier,
      engine: d.engine,
      rdsHost: d.rdsHost,
      rdsPort: d.rdsPort,
      gate: `127.0.0.1:${d.gatePort}`,
      database: d.database,
      dbUser: d.dbUser,
      upstream: d.upstreamKind,
    })),
    forwards: forwards.map((w) => ({ host: w.host, port: w.port, to: `${w.to.host}:${w.to.port}` })),
    faults: {
      dropAfterMessages: f.dropAfterMessages,
      idleTimeoutMs: f.idleTimeoutMs,
      maxDurationMs: f.maxDurationMs,
      oneWayLatencyMs: f.oneWayLatencyMs,
      maxMessagesPerSecond: f.maxMessagesPerSecond,
    },
  }
}

/** Starts the simulator and describes how to use it. */
export async function runStandaloneSimulator(
  options: SimulatorOptions & { forwards?: SimForward[] } = {},
): Promise<{ sim: Simulator; instructions: string }> {
  const { forwards = [], ...rest } = options
  const sim = await startSimulator({
    ...rest,
    extraRoutes: [...(rest.extraRoutes ?? []), ...forwards],
  })
  const db = sim.databases[0]!
  const env = Object.entries(simEnv(sim))
    .map(([k, v]) => `  export ${k}=${v}`)
    .join('\n')
  const instructions = [
    `Porthole AWS simulator running (region ${sim.region}, account ${sim.accountId}).`,
    '',
    'Point the AWS SDK / CLI at it (simulator-only keys, new every run):',
    env,
    `  (AWS CLI older than 2.13 ignores AWS_ENDPOINT_URL: add --endpoint-url ${sim.endpoint})`,
    '',
    'A target for it (porthole targets add …):',
    `  --region ${sim.region} --instance ${sim.instances[0]?.instanceId ?? DEMO.instanceId} --host ${db.rdsHost} --port ${db.rdsPort}`,
    `  --database ${db.database} --user ${db.dbUser} --endpoint-url ${sim.endpoint} --ca-file ${sim.caFile}`,
    ...(forwards.length
      ? [
          '',
          'Also reachable from the instance:',
          ...forwards.map((w) => `  ${w.host}:${w.port} → ${w.to.host}:${w.to.port}`),
        ]
      : []),
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
