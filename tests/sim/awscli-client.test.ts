// Issue 12: the AWS CLI as a second, independent client of the simulator (botocore signs
// differently from the JS SDK the app uses). Every call runs the real `aws` binary with a throwaway
// HOME and config files, so the developer's ~/.aws is never read or written. RDS tokens from
// `aws rds generate-db-auth-token` log in through the gate with real psql (verify-full against the
// simulator's CA, host = the RDS name, hostaddr = 127.0.0.1). CI installs Debian's awscli
// (.ci/run); PORTHOLE_AWS_CLI picks another binary.
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { SSMClient, StartSessionCommand } from '@aws-sdk/client-ssm'
import { DEMO } from '../../shared/demo'
import { type Simulator, startSimulator } from '../../sim/index'

const AWS = process.env.PORTHOLE_AWS_CLI ?? 'aws'
const awsVersion = spawnSync(AWS, ['--version'], { encoding: 'utf8' })
const noAws = awsVersion.error
  ? `the AWS CLI (${AWS}) is not installed; .ci/run installs Debian's awscli (apt-get install -y awscli)`
  : false
const noPsql = spawnSync('psql', ['--version']).error ? 'psql is not installed' : false

interface TokenFor {
  host?: string
  port?: number
  user?: string
  region?: string
}
const tokenArgs = (t: TokenFor) => [
  'rds',
  'generate-db-auth-token',
  '--hostname',
  t.host ?? DEMO.rdsHost,
  '--port',
  String(t.port ?? DEMO.rdsPort),
  '--username',
  t.user ?? DEMO.dbUser,
]
const GOOD: TokenFor = {}
const WRONG: TokenFor[] = [
  { user: 'someone_else' },
  { host: '127.0.0.1' },
  { port: 5433 },
  { region: 'eu-west-1' },
]
const TOKENS = [GOOD, ...WRONG]
const MISSING_SESSION = ['ssm', 'resume-session', '--session-id', 'porthole-dev-0000000000000000a']
const INDEPENDENT_CALLS = [
  ['sts', 'get-caller-identity'],
  ['ssm', 'describe-instance-information'],
  ['ssm', 'describe-instance-information', '--filters', 'Key=InstanceIds,Values=i-0000000000000000f'],
  ['rds', 'describe-db-instances'],
  MISSING_SESSION,
]

let sim: Simulator
let home: string

before(async () => {
  if (noAws) return
  home = mkdtempSync(join(tmpdir(), 'porthole-awscli-'))
  writeFileSync(join(home, 'config'), '')
  writeFileSync(join(home, 'credentials'), '')
  sim = await startSimulator()
  for (const args of INDEPENDENT_CALLS) void awsOnce(args)
  for (const t of TOKENS) void awsOnce(tokenArgs(t), t.region)
})
after(async () => {
  await sim?.close()
  if (home) rmSync(home, { recursive: true, force: true })
})

/** Only what the CLI needs: a clean environment, so nothing of the caller's AWS setup leaks in. */
function cliEnv(region = sim.region): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: sim.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sim.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  }
}

/** Runs `aws <args>` against the simulator (--endpoint-url: Debian's 2.9 CLI predates AWS_ENDPOINT_URL). */
function aws(args: string[], region?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      AWS,
      [...args, '--endpoint-url', sim.endpoint, '--output', 'json'],
      { env: cliEnv(region), timeout: 120_000 },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    )
  })
}

// Each `aws` run is a Python start-up (seconds on a busy machine), so the independent calls start
// together before the tests and each test awaits its own; the order of events per test is unchanged.
const started = new Map<string, ReturnType<typeof aws>>()
function awsOnce(args: string[], region?: string): ReturnType<typeof aws> {
  const key = JSON.stringify([args, region])
  let run = started.get(key)
  if (!run) {
    run = aws(args, region)
    started.set(key, run)
  }
  return run
}

async function awsJson(args: string[]): Promise<Record<string, unknown>> {
  const r = await awsOnce(args)
  assert.equal(r.code, 0, `aws ${args.join(' ')} failed: ${r.err}`)
  return JSON.parse(r.out) as Record<string, unknown>
}

describe('awscli against the simulator', { skip: noAws }, () => {
  test('sts get-caller-identity', async () => {
    const id = await awsJson(['sts', 'get-caller-identity'])
    assert.equal(id.Account, sim.accountId)
    assert.equal(id.Arn, `arn:aws:iam::${sim.accountId}:user/porthole-dev`)
  })

  test('ssm describe-instance-information, also filtered by instance id', async () => {
    const all = await awsJson(['ssm', 'describe-instance-information'])
    const list = all.InstanceInformationList as Array<Record<string, unknown>>
    assert.equal(list[0]?.InstanceId, DEMO.instanceId)
    assert.equal(list[0]?.PingStatus, 'Online')
    assert.equal(typeof list[0]?.AgentVersion, 'string')
    const none = await awsJson([
      'ssm',
      'describe-instance-information',
      '--filters',
      'Key=InstanceIds,Values=i-0000000000000000f',
    ])
    assert.deepEqual(none.InstanceInformationList, [])
  })

  test('ssm resume-session and terminate-session on a session the SDK started', async () => {
    const sdk = new SSMClient({ region: sim.region, endpoint: sim.endpoint, credentials: sim.credentials })
    const started = await sdk.send(
      new StartSessionCommand({
        Target: DEMO.instanceId,
        DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost',
        Parameters: { host: [DEMO.rdsHost], portNumber: ['5432'], localPortNumber: ['0'] },
      }),
    )
    sdk.destroy()
    const id = started.SessionId ?? ''
    const resumed = await awsJson(['ssm', 'resume-session', '--session-id', id])
    assert.equal(resumed.SessionId, id)
    assert.equal(resumed.StreamUrl, started.StreamUrl)
    assert.ok(typeof resumed.TokenValue === 'string' && resumed.TokenValue.length > 20)
    assert.deepEqual(await awsJson(['ssm', 'terminate-session', '--session-id', id]), { SessionId: id })
    const missing = await awsOnce(MISSING_SESSION)
    assert.notEqual(missing.code, 0)
    assert.match(missing.err, /DoesNotExistException/)
  })

  test('rds describe-db-instances', async () => {
    const out = await awsJson(['rds', 'describe-db-instances'])
    const db = (out.DBInstances as Array<Record<string, unknown>>)[0]
    const endpoint = db?.Endpoint as Record<string, unknown>
    assert.equal(endpoint.Address, DEMO.rdsHost)
    assert.equal(endpoint.Port, 5432)
    assert.equal(db?.IAMDatabaseAuthenticationEnabled, true)
  })
})

describe('awscli RDS tokens through the gate with psql (verify-full)', { skip: noAws || noPsql }, () => {
  const db = () => sim.databases[0]!
  const token = async (t: TokenFor = GOOD) => {
    const r = await awsOnce(tokenArgs(t), t.region)
    assert.equal(r.code, 0, r.err)
    return r.out.trim()
  }
  // Asynchronous: the gate runs in this process, so a blocking spawn would starve it.
  const psql = (password: string) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'psql',
        [
          `host=${DEMO.rdsHost} hostaddr=127.0.0.1 port=${db().gatePort} dbname=${db().database} user=${DEMO.dbUser} sslmode=verify-full sslrootcert=${sim.caFile}`,
          '-XAtc',
          'SELECT current_user',
        ],
        { env: { PATH: process.env.PATH, PGPASSWORD: password, PGCONNECT_TIMEOUT: '60' } },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      )
    })
  const refused = async (password: string) => {
    const r = await psql(password)
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, new RegExp(`FATAL: {2}PAM authentication failed for user "${DEMO.dbUser}"`))
  }

  test('a token from the CLI logs in', async () => {
    const r = await psql(await token())
    assert.equal(r.status, 0, r.stderr)
    // On PGlite every session is `postgres` (see sim/rds/upstream.ts); on PostgreSQL it is the IAM user.
    assert.equal(r.stdout.trim(), db().upstreamKind === 'pglite' ? 'postgres' : DEMO.dbUser)
  })

  test('refusals: wrong user, wrong host, wrong port, wrong region', async () => {
    // user, host, port, region: each token is valid except for that one thing.
    await Promise.all(WRONG.map(async (t) => refused(await token(t))))
  })

  test('refusal: expired (the gate clock 16 minutes past signing)', async () => {
    const t = await token()
    sim.faults.setGateClockOffset(16 * 60_000)
    try {
      await refused(t)
    } finally {
      sim.faults.setGateClockOffset(0)
    }
  })
})
