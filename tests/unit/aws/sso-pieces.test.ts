// The small rules of sign-in and discovery: which pages may be opened, the cache path the SDK
// computes, token states, and the agent version that can forward to a remote host.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { getSSOTokenFilepath } from '@smithy/core/config'
import { isSafeVerificationUrl } from '../../../electron/aws/account-service'
import { canForwardToRemoteHost, targetEngineOf } from '../../../electron/aws/discovery-join'
import { rfc3339, ssoTokenPath, tokenState } from '../../../electron/aws/sso-token-cache'

test('only https pages (or the simulator on loopback) may be opened', () => {
  assert.equal(isSafeVerificationUrl('https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH'), true)
  assert.equal(isSafeVerificationUrl('http://127.0.0.1:4000/device'), true)
  assert.equal(isSafeVerificationUrl('http://evil.example/device'), false)
  assert.equal(isSafeVerificationUrl('file:///etc/passwd'), false)
  assert.equal(isSafeVerificationUrl('javascript:alert(1)'), false)
  assert.equal(isSafeVerificationUrl('https://user:pw@example.com/'), false)
  assert.equal(isSafeVerificationUrl('not a url'), false)
})

test("the cache path is the SDK's own for a session name and for a start URL", () => {
  const home = process.env.HOME
  for (const id of ['my-sso', 'https://d-1234567890.awsapps.com/start'])
    assert.equal(
      ssoTokenPath(id.startsWith('https') ? { startUrl: id } : { sessionName: id, startUrl: 'x' }, {
        HOME: home,
      }),
      getSSOTokenFilepath(id),
    )
})

test('token states: valid, expired, refreshable, missing', () => {
  const now = Date.parse('2026-06-01T12:00:00Z')
  assert.equal(rfc3339(now), '2026-06-01T12:00:00Z')
  assert.deepEqual(tokenState(undefined, now), { state: 'missing', expiresAt: null, refreshable: false })
  const base = { accessToken: 'a', expiresAt: '2026-06-01T13:00:00Z' }
  assert.equal(tokenState(base, now).state, 'valid')
  const old = {
    ...base,
    expiresAt: '2026-06-01T11:00:00Z',
    refreshToken: 'r',
    clientId: 'c',
    clientSecret: 's',
  }
  assert.deepEqual(tokenState(old, now), {
    state: 'expired',
    expiresAt: Date.parse(old.expiresAt),
    refreshable: true,
  })
  assert.equal(tokenState({ ...old, registrationExpiresAt: '2026-05-01T00:00:00Z' }, now).refreshable, false)
})

test('port forwarding to a remote host needs agent 3.1.1374.0 or newer', () => {
  assert.equal(canForwardToRemoteHost('3.1.1374.0'), true)
  assert.equal(canForwardToRemoteHost('3.1.1446.0'), true)
  assert.equal(canForwardToRemoteHost('3.3.987.0'), true)
  assert.equal(canForwardToRemoteHost('3.1.1188.0'), false)
  assert.equal(canForwardToRemoteHost('3.0.1124.0'), false)
  assert.equal(canForwardToRemoteHost(undefined), false)
  assert.equal(targetEngineOf('aurora-postgresql'), 'postgres')
  assert.equal(targetEngineOf('mariadb'), 'mysql')
  assert.equal(targetEngineOf('sqlserver-ex'), null)
})
