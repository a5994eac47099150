// In-app IAM Identity Center sign-in against the simulator: the device flow through the SDK's OIDC
// client, the shared token cache (then read by the SDK's own fromSSO and the AWS CLI in separate
// processes), refresh with the cached refresh token, and each refusal with its own message.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { createAccountService } from '../../electron/aws/account-service'
import { createCredentialResolver } from '../../electron/aws/credentials'
import { ssoSessionForProfile } from '../../electron/aws/sso-config'
import { startDeviceLogin } from '../../electron/aws/sso-login'
import { ssoTokenPath } from '../../electron/aws/sso-token-cache'
import { silentLogger } from '../../electron/base/logger'
import type { SsoLoginEvent } from '../../shared/ipc/aws-models'
import { type Simulator, startSimulator } from '../../sim/index'
import { noUpstream } from '../fixtures/no-upstream'
import { createSsoEnv, type SsoEnv } from '../fixtures/sso-env'

const run = promisify(execFile)
let sim: Simulator
let home: SsoEnv
const events: SsoLoginEvent[] = []
let account: ReturnType<typeof createAccountService>

before(async () => {
  sim = await startSimulator({ upstream: noUpstream })
  home = await createSsoEnv(sim)
  home.apply()
  const resolver = createCredentialResolver({ logger: silentLogger, env: process.env })
  account = createAccountService({
    resolver,
    logger: silentLogger,
    env: process.env,
    emit: (e) => events.push(e),
  })
})
after(async () => {
  account?.close()
  await sim?.close()
  await home?.close()
})

async function eventFor(loginId: string): Promise<SsoLoginEvent> {
  for (;;) {
    const e = events.find((x) => x.loginId === loginId)
    if (e) return e
    await new Promise((r) => setTimeout(r, 50))
  }
}

test('profiles are listed with their kind, region and sign-in state', async () => {
  const profiles = await account.listProfileDetails(undefined)
  const by = new Map(profiles.map((p) => [p.name, p]))
  assert.equal(by.get('sim-dev')?.kind, 'sso')
  assert.equal(by.get('sim-dev')?.ssoSession, 'sim')
  assert.equal(by.get('sim-dev')?.signIn?.state, 'missing')
  assert.equal(by.get('sim-legacy')?.kind, 'sso')
  assert.equal(by.get('admin-mfa')?.kind, 'assume-role')
  assert.equal(by.get('admin-mfa')?.mfa, true)
  assert.equal(by.get('tool')?.kind, 'process')
  assert.equal(by.get('tool')?.region, 'eu-west-1')
  assert.equal(by.get('default')?.kind, 'static')
  assert.equal(by.get('default')?.isDefault, true)
})

test('device flow: code shown, approved in the "browser", token cached where aws sso login puts it', async () => {
  const login = await account.startSsoLogin({ profile: 'sim-dev' })
  assert.equal(login.refreshed, false)
  assert.match(login.userCode ?? '', /^[A-Z]{4}-[A-Z]{4}$/)
  assert.equal(login.verificationUriComplete, `${sim.sso.endpoint}/device?user_code=${login.userCode}`)
  assert.ok(sim.sso.approve(login.userCode ?? ''))
  const done = await eventFor(login.loginId)
  assert.equal(done.state, 'signed-in', JSON.stringify(done.error))
  const path = ssoTokenPath({ sessionName: 'sim', startUrl: sim.sso.startUrl }, process.env)
  assert.match(path, /\/\.aws\/sso\/cache\/[0-9a-f]{40}\.json$/)
  assert.equal((await stat(path)).mode & 0o777, 0o600)
  const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
  for (const k of [
    'accessToken',
    'expiresAt',
    'refreshToken',
    'clientId',
    'clientSecret',
    'registrationExpiresAt',
  ])
    assert.ok(file[k], `${k} is cached`)
  assert.equal(file.startUrl, sim.sso.startUrl)
  assert.equal(file.region, sim.sso.region)
  assert.match(file.expiresAt ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  const me = await account.getCallerIdentity({ profile: 'sim-dev' })
  assert.match(me.arn, /:assumed-role\/AWSReservedSSO_PortholeDeveloper_[0-9a-f]+\/dev@example\.com$/)
  const listed = (await account.listProfileDetails(undefined)).find((p) => p.name === 'sim-dev')
  assert.equal(listed?.signIn?.state, 'valid')
})

test("the SDK's own fromSSO reads Porthole's cache in a separate process", async () => {
  const script = `
    import { fromSSO } from '@aws-sdk/credential-providers'
    const c = await fromSSO({ profile: 'sim-dev' })()
    console.log(JSON.stringify({ key: c.accessKeyId, token: Boolean(c.sessionToken), exp: c.expiration?.toISOString() }))`
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...home.env },
  })
  const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { key: string; token: boolean }
  assert.match(out.key, /^ASIA/)
  assert.equal(out.token, true)
  assert.match(sim.iam.lookup(out.key)?.arn ?? '', /assumed-role\/AWSReservedSSO_PortholeDeveloper/)
})

test('the AWS CLI uses the same sign-in', async (t) => {
  const cli = await run('aws', ['--version']).catch(() => null)
  if (!cli) return t.skip('aws CLI not installed')
  const { stdout } = await run(
    'aws',
    ['sts', 'get-caller-identity', '--profile', 'sim-dev', '--output', 'json'],
    {
      env: { PATH: process.env.PATH ?? '', ...home.env },
    },
  )
  assert.match((JSON.parse(stdout) as { Arn: string }).Arn, /assumed-role\/AWSReservedSSO_PortholeDeveloper/)
})

test('an expired token with a refresh token is renewed without the browser', async () => {
  const path = ssoTokenPath({ sessionName: 'sim', startUrl: sim.sso.startUrl }, process.env)
  const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
  await writeFile(path, JSON.stringify({ ...file, expiresAt: '2020-01-01T00:00:00Z' }), { mode: 0o600 })
  const login = await account.startSsoLogin({ profile: 'sim-dev' })
  assert.equal(login.refreshed, true)
  assert.equal(login.userCode, null)
  const renewed = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
  assert.notEqual(renewed.accessToken, file.accessToken)
  assert.notEqual(renewed.refreshToken, file.refreshToken, 'the rotated refresh token is kept')
  assert.ok(Date.parse(renewed.expiresAt ?? '') > Date.now())
})

test('a denied code and a lapsed code each end with their own message', async () => {
  const denied = await account.startSsoLogin({ profile: 'sim-legacy' })
  sim.sso.deny(denied.userCode ?? '')
  const d = await eventFor(denied.loginId)
  assert.equal(d.state, 'failed')
  assert.equal(d.error?.code, 'ACCESS_DENIED')
  assert.match(d.error?.message ?? '', /denied in the browser/)
  const lapsed = await account.startSsoLogin({ profile: 'sim-legacy' })
  sim.sso.expire(lapsed.userCode ?? '')
  const l = await eventFor(lapsed.loginId)
  assert.equal(l.error?.code, 'TIMEOUT')
  assert.match(l.error?.message ?? '', /expired before it was approved/)
  await assert.rejects(
    account.startSsoLogin({ profile: 'tool' }),
    /does not sign in through IAM Identity Center/,
  )
})

test('slow_down from the service adds 5 s to the polling interval', async () => {
  const session = await ssoSessionForProfile('sim-legacy', process.env)
  const waits: number[] = []
  // The first two waits are skipped, so the second poll comes too early and the service says slow_down.
  const login = await startDeviceLogin(session, {
    env: process.env,
    endpoint: sim.sso.endpoint,
    sleep: async (ms) => {
      waits.push(ms)
      if (waits.length === 3) sim.sso.approve(code)
    },
  })
  const code = login.userCode
  await login.done
  assert.deepEqual(waits.slice(0, 3), [1000, 1000, 6000])
})
