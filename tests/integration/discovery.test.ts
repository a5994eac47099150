// Discovery against the simulated account after `porthole login` (a real CLI process, device flow
// approved through the simulator's browser step): databases with jump suggestions and warnings,
// AccessDenied on one API without losing the others, and throttling ridden out with backoff.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, test } from 'node:test'
import { createAccountService } from '../../electron/aws/account-service'
import { createCredentialResolver } from '../../electron/aws/credentials'
import { silentLogger } from '../../electron/base/logger'
import { DEMO } from '../../shared/demo'
import { SIM_VPCS } from '../../sim/api/inventory'
import { type Simulator, startSimulator } from '../../sim/index'
import { noUpstream } from '../fixtures/no-upstream'
import { createSsoEnv, type SsoEnv } from '../fixtures/sso-env'

let sim: Simulator
let home: SsoEnv
let account: ReturnType<typeof createAccountService>

/** Runs `porthole login <profile>`, approving the code it prints; resolves with exit code and output. */
function cliLogin(profile: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['electron/cli/porthole.cjs', 'login', profile], {
      env: { PATH: process.env.PATH ?? '', ...home.env },
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const code = /code ([A-Z]{4}-[A-Z]{4})/.exec(out)?.[1]
      if (code && !out.includes('approved')) {
        out += '(approved)\n'
        sim.sso.approve(code)
      }
    })
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString()
    })
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

before(async () => {
  sim = await startSimulator({ upstream: noUpstream })
  home = await createSsoEnv(sim)
  home.apply()
  account = createAccountService({
    resolver: createCredentialResolver({ logger: silentLogger, env: process.env }),
    logger: silentLogger,
    env: process.env,
    emit: () => {},
  })
})
after(async () => {
  account?.close()
  await sim?.close()
  await home?.close()
})

test('porthole login signs in through the device flow and names the principal', async () => {
  const r = await cliLogin('sim-dev')
  assert.equal(r.code, 0, r.err)
  assert.match(r.out, new RegExp(`open ${sim.sso.endpoint}/device\\?user_code=`))
  assert.match(r.out, /You are arn:aws:sts::123456789012:assumed-role\/AWSReservedSSO_PortholeDeveloper_/)
})

test('databases come with a jump instance in their VPC and the right warnings', async () => {
  const d = await account.discoverResources({ profile: 'sim-dev', regions: [sim.region] })
  assert.deepEqual(d.problems, [])
  const by = new Map(d.databases.map((x) => [x.id, x]))
  const demo = by.get(DEMO.dbInstanceIdentifier)
  assert.equal(demo?.host, DEMO.rdsHost)
  assert.equal(demo?.vpcId, SIM_VPCS.app)
  assert.deepEqual(
    demo?.jumpCandidates,
    [DEMO.instanceId],
    'the offline worker in the same VPC is not offered',
  )
  assert.deepEqual(demo?.warnings, [])
  assert.deepEqual(
    d.databases.map((x) => x.id),
    ['legacy-pg', DEMO.dbInstanceIdentifier, 'reports-aurora', 'billing-aurora', 'orders-mysql'],
    'ready-to-connect databases first',
  )
  const reports = by.get('reports-aurora')
  assert.equal(reports?.kind, 'cluster')
  assert.equal(reports?.vpcId, SIM_VPCS.analytics, 'cluster VPC from its member')
  assert.deepEqual(reports?.jumpCandidates, ['i-0b2200000000000c2'], 'not the bastion with agent 3.0.1124.0')
  assert.ok(!by.has('reports-aurora-1'), 'cluster members are reached through the cluster')
  assert.match(by.get('orders-mysql')?.warnings.join(' ') ?? '', /IAM database authentication is off/)
  assert.match(by.get('billing-aurora')?.warnings.join(' ') ?? '', /IAM database authentication is off/)
  assert.deepEqual(by.get('legacy-pg')?.jumpCandidates, ['i-0c3300000000000d1'])
  const old = d.instances.find((i) => i.instanceId === 'i-0b2200000000000c1')
  assert.equal(old?.canForward, false)
  assert.equal(old?.name, 'analytics-bastion-old')
  assert.equal(d.instances.length, 5)
})

test('AccessDenied on DescribeInstances names ec2:DescribeInstances and keeps the rest', async () => {
  const renewed = await account.startSsoLogin({ profile: 'sim-noec2' }) // same sso-session: no browser
  assert.equal(renewed.refreshed, true)
  const d = await account.discoverResources({ profile: 'sim-noec2', regions: [sim.region] })
  assert.equal(d.problems.length, 1)
  assert.equal(d.problems[0]?.permission, 'ec2:DescribeInstances')
  assert.equal(d.problems[0]?.error.code, 'ACCESS_DENIED')
  assert.match(d.problems[0]?.error.message ?? '', /lack ec2:DescribeInstances/)
  assert.equal(d.databases.length, 7 - 2, 'RDS results kept (Aurora members folded into clusters)')
  assert.equal(d.instances.length, 5, 'SSM results kept')
  assert.ok(d.instances.every((i) => i.vpcId === null))
  assert.match(d.databases[0]?.warnings.join(' ') ?? '', /VPCs of instances are unknown/)
})

test('throttling is retried with backoff until every page arrives', async () => {
  sim.faults.setApiRate(2)
  try {
    const d = await account.discoverResources({ profile: 'sim-dev', regions: [sim.region] })
    assert.deepEqual(d.problems, [])
    assert.equal(d.instances.length, 5)
    assert.equal(d.databases.length, 5)
  } finally {
    sim.faults.setApiRate(null)
  }
})

test('an expired sign-in is one clear error that signing in again resolves', async () => {
  sim.sso.revokeAll()
  const fresh = createAccountService({
    resolver: createCredentialResolver({ logger: silentLogger, env: process.env }),
    logger: silentLogger,
    env: process.env,
    emit: () => {},
  })
  await assert.rejects(
    fresh.discoverResources({ profile: 'sim-dev', regions: [sim.region] }),
    (e: Error & { info?: { resolvableByLogin?: boolean } }) => {
      assert.equal(e.info?.resolvableByLogin, true, e.message)
      return true
    },
  )
})
