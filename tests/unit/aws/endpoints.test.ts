import assert from 'node:assert/strict'
import { test } from 'node:test'
import { resolveEndpoint } from '../../../electron/aws/endpoints'

test('endpoint order: target, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, SDK default', () => {
  const env = { AWS_ENDPOINT_URL_SSM: 'http://ssm.local', AWS_ENDPOINT_URL: 'http://all.local' }
  assert.equal(resolveEndpoint('ssm', { endpointUrl: 'http://target.local' }, env), 'http://target.local')
  assert.equal(resolveEndpoint('ssm', {}, env), 'http://ssm.local')
  assert.equal(resolveEndpoint('sts', {}, env), 'http://all.local')
  assert.equal(resolveEndpoint('rds', {}, {}), undefined)
  assert.equal(resolveEndpoint('rds', {}, { AWS_ENDPOINT_URL_RDS: 'http://rds.local' }), 'http://rds.local')
})

test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns the environment off but not the target', () => {
  const env = { AWS_ENDPOINT_URL: 'http://all.local', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }
  assert.equal(resolveEndpoint('ssm', {}, env), undefined)
  assert.equal(resolveEndpoint('ssm', { endpointUrl: 'http://t.local' }, env), 'http://t.local')
})
