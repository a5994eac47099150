// The copied psql string really connects: psql dials 127.0.0.1 (hostaddr), verifies the sim
// certificate for the RDS name (verify-full) and logs in with a fresh IAM token in PGPASSWORD.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { type DbFixture, startDbFixture } from '../fixtures/db/db-fixture'

const run = promisify(execFile)
let fx: DbFixture
before(async () => {
  fx = await startDbFixture()
})
after(async () => {
  await fx.close()
})

/** Extracts the conninfo argument from `psql '<conninfo>'` (no embedded quotes in this fixture). */
const conninfoOf = (psql: string) => /^psql '(.*)'$/.exec(psql)?.[1] ?? psql.replace(/^psql /, '')

test('psql connects with verify-full through the gate using the copied conninfo', async () => {
  const cs = await fx.service.getConnectionStrings(fx.target, true)
  assert.ok(cs.withToken)
  assert.match(cs.psql, /hostaddr=127\.0\.0\.1/)
  assert.match(cs.psql, /sslmode=verify-full/)
  const token = (await fx.signer.signToken(fx.target)).token
  const env = { ...process.env, PGPASSWORD: token, PGCONNECT_TIMEOUT: '10' }
  const { stdout } = await run(
    '/usr/bin/psql',
    [conninfoOf(cs.psql), '-XAt', '-c', 'select 1, current_user'],
    { env },
  ).catch((err: { stderr?: string }) => assert.fail(`psql failed: ${err.stderr}`))
  assert.equal(stdout.trim(), '1|postgres')
  const uri = await run('/usr/bin/psql', [cs.uri, '-XAt', '-c', 'select 2'], { env })
  assert.equal(uri.stdout.trim(), '2')
})

test('psql refuses the wrong CA and plain 127.0.0.1 host (verification is real)', async () => {
  const cs = await fx.service.getConnectionStrings({ ...fx.target, caFile: fx.otherCaFile }, false)
  const env = { ...process.env, PGPASSWORD: (await fx.signer.signToken(fx.target)).token }
  await assert.rejects(run('/usr/bin/psql', [conninfoOf(cs.psql), '-XAt', '-c', 'select 1'], { env }))
  const good = await fx.service.getConnectionStrings(fx.target, false)
  const noName = conninfoOf(good.psql).replace(/host=\S+ hostaddr=127\.0\.0\.1/, 'host=127.0.0.1')
  await assert.rejects(
    run('/usr/bin/psql', [noName, '-XAt', '-c', 'select 1'], { env }),
    (err: { stderr?: string }) => /does not match host name/.test(err.stderr ?? ''),
  )
})

test('the default CA bundle is written to the data dir, world-readable', async () => {
  const cs = await fx.service.getConnectionStrings({ ...fx.target, caFile: undefined }, false)
  assert.ok(cs.caFile.startsWith(fx.dir))
  assert.equal(statSync(cs.caFile).mode & 0o777, 0o644)
  assert.equal(cs.withToken, null)
})
