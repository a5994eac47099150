import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mapCredentialError, mapServiceError, parseAccessDenied } from '../../../electron/aws/aws-errors'
import { mapSsmError } from '../../../electron/aws/ssm-api'

const err = (name: string, message: string) => Object.assign(new Error(message), { name })

test('credential failures get specific codes and hints', () => {
  const missing = mapCredentialError(
    err('CredentialsProviderError', 'Could not load credentials from any providers'),
    undefined,
  )
  assert.equal(missing.code, 'CREDENTIALS_MISSING')
  assert.match(missing.info.hint ?? '', /aws configure/)

  const sso = mapCredentialError(
    err(
      'CredentialsProviderError',
      "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    ),
    'dev',
  )
  assert.equal(sso.code, 'CREDENTIALS_EXPIRED')
  assert.equal(sso.info.resolvableByLogin, true)
  assert.equal(sso.info.hint, 'Run: aws sso login --profile dev')

  const mfa = mapCredentialError(
    err(
      'CredentialsProviderError',
      'Profile admin requires multi-factor authentication, but no MFA code callback was provided.',
    ),
    'admin',
  )
  assert.equal(mfa.code, 'MFA_REQUIRED')
  assert.equal(mapCredentialError(new Error('Region is missing'), undefined).code, 'REGION_MISSING')
})

test('AccessDenied names the action and resource', () => {
  const message =
    'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:us-east-1:123456789012:instance/i-0abc because no identity-based policy allows the ssm:StartSession action'
  assert.deepEqual(parseAccessDenied(message), {
    action: 'ssm:StartSession',
    resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc',
  })
  const e = mapServiceError(err('AccessDeniedException', message), undefined)
  assert.equal(e.code, 'ACCESS_DENIED')
  assert.match(e.message, /ssm:StartSession on arn:aws:ec2:us-east-1:123456789012:instance\/i-0abc/)
})

test('SSM errors: target not connected, throttling, unrecognised client', () => {
  const t = mapSsmError(err('TargetNotConnected', 'i-0abc is not connected.'), 'i-0abc')
  assert.equal(t.code, 'TARGET_NOT_CONNECTED')
  assert.equal(t.message, 'Instance i-0abc is not connected to Systems Manager.')
  assert.match(t.info.hint ?? '', /SSM agent/)
  assert.equal(mapSsmError(err('InvalidDocument', 'bad'), 'i-0abc').code, 'INVALID_DOCUMENT')
  assert.equal(mapSsmError(err('ThrottlingException', 'Rate exceeded'), 'i-0abc').code, 'THROTTLED')
  assert.equal(
    mapSsmError(
      err('UnrecognizedClientException', 'The security token included in the request is invalid.'),
      'x',
    ).code,
    'CREDENTIALS_EXPIRED',
  )
  assert.equal(mapSsmError(err('InvalidSignatureException', 'sig'), 'x').code, 'CREDENTIALS_MISSING')
})
