// The simulated IAM Identity Center through the SDK's own clients: device authorization with each
// polling answer (pending, slow down, expired, denied), refresh-token rotation, and the portal's
// bearer-token calls. Role credentials it hands out sign real requests to the simulated APIs.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { GetRoleCredentialsCommand, paginateListAccounts, SSOClient } from '@aws-sdk/client-sso'
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { type Simulator, startSimulator } from '../../sim/index'
import { noUpstream } from '../fixtures/no-upstream'

let sim: Simulator
let oidc: SSOOIDCClient
let portal: SSOClient
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code'

before(async () => {
  sim = await startSimulator({ upstream: noUpstream, sso: { intervalSec: 1 } })
  oidc = new SSOOIDCClient({ region: sim.region, endpoint: sim.sso.endpoint, maxAttempts: 1 })
  portal = new SSOClient({ region: sim.region, endpoint: sim.sso.endpoint, maxAttempts: 1 })
})
after(async () => {
  oidc.destroy()
  portal.destroy()
  await sim.close()
})

async function device() {
  const reg = await oidc.send(
    new RegisterClientCommand({
      clientName: 'porthole-test',
      clientType: 'public',
      scopes: ['sso:account:access'],
    }),
  )
  const client = { clientId: reg.clientId ?? '', clientSecret: reg.clientSecret ?? '' }
  const auth = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: sim.sso.startUrl }))
  const poll = () =>
    oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE, deviceCode: auth.deviceCode }))
  return { reg, client, auth, poll }
}

test('RegisterClient and StartDeviceAuthorization answer as the service does', async () => {
  const { reg, auth } = await device()
  assert.ok(reg.clientId && reg.clientSecret)
  assert.ok((reg.clientSecretExpiresAt ?? 0) > Date.now() / 1000)
  assert.match(auth.userCode ?? '', /^[A-Z]{4}-[A-Z]{4}$/)
  assert.equal(auth.interval, 1)
  assert.equal(auth.expiresIn, 600)
  assert.equal(auth.verificationUriComplete, `${auth.verificationUri}?user_code=${auth.userCode}`)
  await assert.rejects(
    oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'confidential' })),
    { name: 'InvalidClientMetadataException' },
  )
  await assert.rejects(
    oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: 'nope',
        clientSecret: 'nope',
        startUrl: sim.sso.startUrl,
      }),
    ),
    { name: 'InvalidClientException' },
  )
})

test('CreateToken: pending, slow down when polled too fast, then a token once approved', async () => {
  const { auth, poll } = await device()
  await assert.rejects(poll(), (e: Error & { error?: string }) => {
    assert.equal(e.name, 'AuthorizationPendingException')
    assert.equal(e.error, 'authorization_pending')
    return true
  })
  await assert.rejects(poll(), { name: 'SlowDownException' })
  assert.ok(sim.sso.approve(auth.userCode ?? ''))
  const token = await poll()
  assert.ok(token.accessToken && token.refreshToken)
  assert.ok((token.expiresIn ?? 0) > 3600)
  await assert.rejects(poll(), { name: 'InvalidGrantException' }, 'a device code is used once')
})

test('a denied code is AccessDenied, a lapsed one ExpiredToken', async () => {
  const denied = await device()
  sim.sso.deny(denied.auth.userCode ?? '')
  await assert.rejects(denied.poll(), { name: 'AccessDeniedException' })
  const lapsed = await device()
  sim.sso.expire(lapsed.auth.userCode ?? '')
  await assert.rejects(lapsed.poll(), { name: 'ExpiredTokenException' })
})

test('refresh_token rotates: the new one works, the old one is refused', async () => {
  const { auth, client, poll } = await device()
  sim.sso.approve(auth.userCode ?? '')
  const first = await poll()
  const refresh = (rt: string | undefined) =>
    oidc.send(new CreateTokenCommand({ ...client, grantType: 'refresh_token', refreshToken: rt }))
  const second = await refresh(first.refreshToken)
  assert.ok(second.accessToken && second.accessToken !== first.accessToken)
  await assert.rejects(refresh(first.refreshToken), { name: 'InvalidGrantException' })
})

test('portal: accounts page, role credentials sign STS calls as the assumed role', async () => {
  const { auth, poll } = await device()
  sim.sso.approve(auth.userCode ?? '')
  const { accessToken } = await poll()
  const accounts = []
  for await (const p of paginateListAccounts({ client: portal }, { accessToken }))
    accounts.push(...(p.accountList ?? []))
  assert.deepEqual(
    accounts.map((a) => a.accountName),
    ['porthole-demo', 'sandbox', 'shared-services'],
  )
  const creds = await portal.send(
    new GetRoleCredentialsCommand({ accessToken, accountId: sim.accountId, roleName: 'PortholeDeveloper' }),
  )
  const rc = creds.roleCredentials
  assert.match(rc?.accessKeyId ?? '', /^ASIA/)
  assert.ok((rc?.expiration ?? 0) > Date.now(), 'expiration is epoch milliseconds')
  const sts = new STSClient({
    region: sim.region,
    endpoint: sim.endpoint,
    credentials: {
      accessKeyId: rc?.accessKeyId ?? '',
      secretAccessKey: rc?.secretAccessKey ?? '',
      sessionToken: rc?.sessionToken,
    },
  })
  const me = await sts.send(new GetCallerIdentityCommand({}))
  sts.destroy()
  assert.match(me.Arn ?? '', /assumed-role\/AWSReservedSSO_PortholeDeveloper_[0-9a-f]+\/dev@example\.com$/)
  await assert.rejects(
    portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: sim.accountId, roleName: 'Admin' })),
    { name: 'ForbiddenException' },
  )
  await assert.rejects(
    portal.send(
      new GetRoleCredentialsCommand({ accessToken: 'bogus', accountId: sim.accountId, roleName: 'ReadOnly' }),
    ),
    { name: 'UnauthorizedException' },
  )
})
