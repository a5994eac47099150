import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createCredentialResolver } from '../../../electron/aws/credentials'
import { createSignerFactory } from '../../../electron/aws/signer-factory'
import { silentLogger } from '../../../electron/base/logger'
import type { Target } from '../../../shared/target-schema'

const t = (over: Partial<Target>) =>
  ({
    region: 'us-east-1',
    rdsHost: 'db.x.us-east-1.rds.amazonaws.com',
    rdsPort: 5432,
    dbUser: 'u',
    ...over,
  }) as Target

test('signers are shared per region and credential source, and sign in the target region', async () => {
  const factory = createSignerFactory({
    resolver: createCredentialResolver({ logger: silentLogger }),
    sourceFor: (target) =>
      target.demo
        ? { static: { accessKeyId: 'AKIADEMO', secretAccessKey: 's' } }
        : { profile: target.awsProfile },
  })
  const a = factory(t({ demo: true }))
  assert.equal(factory(t({ demo: true, rdsHost: 'other.x.us-east-1.rds.amazonaws.com' })), a)
  const b = factory(t({ demo: true, region: 'eu-west-1' }))
  assert.notEqual(b, a)
  const token = (await b.signToken(t({ region: 'eu-west-1' }))).token
  assert.match(token, /X-Amz-Credential=AKIADEMO%2F\d{8}%2Feu-west-1%2Frds-db%2Faws4_request/)
  assert.notEqual(factory(t({ awsProfile: 'dev' })), a)
})
