// Credentials resolved through the real SDK chain from temporary shared files (never ~/.aws), a
// counting credential_process, and an assume-role + MFA profile against a fake STS on loopback.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createCredentialResolver } from '../../../electron/aws/credentials'
import { createTokenSigner } from '../../../electron/aws/iam-token'
import { awsConfigured, listProfiles } from '../../../electron/aws/profiles'
import { silentLogger } from '../../../electron/base/logger'

const dir = mkdtempSync(join(tmpdir(), 'porthole-creds-'))
const counter = join(dir, 'process-calls')
const stsCalls: string[] = []
let sts: Server

before(async () => {
  sts = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      stsCalls.push(body)
      const exp = new Date(Date.now() + 3600_000).toISOString()
      res.setHeader('content-type', 'text/xml')
      res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAFAKEROLE</AccessKeyId><SecretAccessKey>rolesecret</SecretAccessKey>
<SessionToken>rolesession</SessionToken><Expiration>${exp}</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROAFAKE:s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>`)
    })
  })
  await new Promise<void>((r) => sts.listen(0, '127.0.0.1', r))
  const script = join(dir, 'creds.mjs')
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs'
appendFileSync(${JSON.stringify(counter)}, 'x')
console.log(JSON.stringify({ Version: 1, AccessKeyId: 'ASIAPROCESS', SecretAccessKey: 'procsecret', SessionToken: 'procsession', Expiration: new Date(Date.now() + 3600e3).toISOString() }))
`,
  )
  writeFileSync(
    join(dir, 'config'),
    `[default]
region = us-east-1
[profile proc]
credential_process = ${process.execPath} ${script}
region = eu-west-1
[profile mfa]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/alice
region = us-east-1
[profile sso-dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
`,
  )
  writeFileSync(
    join(dir, 'credentials'),
    `[static]
aws_access_key_id = AKIASTATICEXAMPLE
aws_secret_access_key = staticsecret
[base]
aws_access_key_id = AKIABASEEXAMPLE
aws_secret_access_key = basesecret
`,
  )
  // The SDK reads process.env itself: point it at our files only (this file runs in its own process).
  for (const k of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_REGION',
  ])
    delete process.env[k]
  process.env.HOME = dir
  process.env.AWS_CONFIG_FILE = join(dir, 'config')
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials')
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
  process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`
})

after(() => {
  sts.close()
  rmSync(dir, { recursive: true, force: true })
})

const processCalls = () => {
  try {
    return readFileSync(counter, 'utf8').length
  } catch {
    return 0
  }
}

test('static keys from the credentials file', async () => {
  const resolver = createCredentialResolver({ logger: silentLogger })
  const c = await resolver.forTarget({ awsProfile: 'static' })()
  assert.equal(c.accessKeyId, 'AKIASTATICEXAMPLE')
})

test('credential_process runs once for many tokens; forceRefresh runs it again', async () => {
  const resolver = createCredentialResolver({ logger: silentLogger })
  const provider = resolver.forTarget({ awsProfile: 'proc' })
  assert.equal(resolver.forTarget({ profile: 'proc' }), provider, 'one cached provider per profile')
  const signer = createTokenSigner({ credentials: provider, region: 'eu-west-1' })
  const target = { rdsHost: 'db.abc.eu-west-1.rds.amazonaws.com', rdsPort: 5432, dbUser: 'u' }
  const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => signer.signToken(target)))
  assert.equal(processCalls(), 1)
  for (const t of tokens) assert.match(t.token, /X-Amz-Credential=ASIAPROCESS/)
  await provider({ forceRefresh: true })
  assert.equal(processCalls(), 2)
})

test('assume-role with MFA prompts once per credential lifetime', async () => {
  const prompts: Array<{ profile: string; mfaSerial: string }> = []
  const resolver = createCredentialResolver({
    logger: silentLogger,
    mfaCodeProvider: async (p) => {
      prompts.push(p)
      return '123456'
    },
  })
  const signer = createTokenSigner({
    credentials: resolver.forTarget({ awsProfile: 'mfa' }),
    region: 'us-east-1',
  })
  const target = { rdsHost: 'db.abc.us-east-1.rds.amazonaws.com', rdsPort: 5432, dbUser: 'u' }
  for (let i = 0; i < 3; i++) assert.match((await signer.signToken(target)).token, /ASIAFAKEROLE/)
  assert.deepEqual(prompts, [{ profile: 'mfa', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' }])
  assert.equal(stsCalls.length, 1)
  assert.match(stsCalls[0] ?? '', /Action=AssumeRole/)
  assert.match(stsCalls[0] ?? '', /TokenCode=123456/)
})

test('a cancelled MFA prompt is MFA_REQUIRED; an unknown profile is CREDENTIALS_MISSING', async () => {
  const resolver = createCredentialResolver({ logger: silentLogger, mfaCodeProvider: async () => '' })
  await assert.rejects(resolver.forTarget({ awsProfile: 'mfa' })(), { code: 'MFA_REQUIRED' })
  await assert.rejects(resolver.forTarget({ awsProfile: 'nope' })(), { code: 'CREDENTIALS_MISSING' })
})

test('an SSO profile without a login is CREDENTIALS_EXPIRED with the sso login hint', async () => {
  const resolver = createCredentialResolver({ logger: silentLogger })
  const err = await resolver
    .forTarget({ awsProfile: 'sso-dev' })()
    .then(
      () => null,
      (e: unknown) => e as { code: string; info: { hint?: string; resolvableByLogin?: boolean } },
    )
  assert.ok(err)
  assert.equal(err.code, 'CREDENTIALS_EXPIRED')
  assert.equal(err.info.hint, 'Run: aws sso login --profile sso-dev')
  assert.equal(err.info.resolvableByLogin, true)
})

test('static credentials injected for demo targets bypass the chain', async () => {
  const resolver = createCredentialResolver({ logger: silentLogger })
  const creds = { accessKeyId: 'AKIASIM', secretAccessKey: 's' }
  assert.equal(await resolver.forTarget({ static: creds })(), creds)
})

test('profiles are listed from both files with their kind', async () => {
  const list = await listProfiles()
  const byName = Object.fromEntries(list.map((p) => [p.name, p]))
  assert.deepEqual(Object.keys(byName).sort(), ['base', 'default', 'mfa', 'proc', 'sso-dev', 'static'])
  assert.equal(byName.proc?.kind, 'process')
  assert.equal(byName.proc?.region, 'eu-west-1')
  assert.equal(byName.mfa?.kind, 'assume-role')
  assert.equal(byName.mfa?.mfa, true)
  assert.equal(byName.static?.kind, 'static')
  assert.equal(byName['sso-dev']?.kind, 'sso')
  assert.equal(await awsConfigured(), true)
  assert.equal(
    await awsConfigured({
      AWS_CONFIG_FILE: join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none2'),
    }),
    false,
  )
})

test('keys rotated on disk are picked up by a forced refresh, not before', async () => {
  const resolver = createCredentialResolver({ logger: silentLogger })
  const provider = resolver.forTarget({ awsProfile: 'static' })
  assert.equal((await provider()).accessKeyId, 'AKIASTATICEXAMPLE')
  const file = join(dir, 'credentials')
  writeFileSync(file, readFileSync(file, 'utf8').replace('AKIASTATICEXAMPLE', 'AKIAROTATEDEXAMPLE'))
  assert.equal((await provider()).accessKeyId, 'AKIASTATICEXAMPLE', 'cached until refreshed')
  assert.equal((await provider({ forceRefresh: true })).accessKeyId, 'AKIAROTATEDEXAMPLE')
})

test('listProfileNames gives the names for the target editor', async () => {
  const { listProfileNames } = await import('../../../electron/aws/profiles')
  assert.deepEqual(await listProfileNames(), ['base', 'default', 'mfa', 'proc', 'sso-dev', 'static'])
})
