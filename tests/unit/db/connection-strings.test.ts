import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildConnectionStrings, conninfoValue, shellQuote } from '../../../electron/db/connection-strings'

const target = {
  rdsHost: 'mydb.abc123.us-east-1.rds.amazonaws.com',
  rdsPort: 5432,
  dbUser: 'iam user',
  database: 'app',
  region: 'us-east-1',
  awsProfile: 'dev',
}

test('psql, URI and env forms dial 127.0.0.1 and verify the RDS name', () => {
  const cs = buildConnectionStrings({ target, localPort: 40123, caFile: '/data/certs/rds ca.pem' })
  assert.equal(
    cs.psql,
    `psql 'host=mydb.abc123.us-east-1.rds.amazonaws.com hostaddr=127.0.0.1 port=40123 user='\\''iam user'\\'' dbname=app sslmode=verify-full sslrootcert='\\''/data/certs/rds ca.pem'\\'''`,
  )
  assert.equal(
    cs.uri,
    'postgresql://iam%20user@mydb.abc123.us-east-1.rds.amazonaws.com:40123/app?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=%2Fdata%2Fcerts%2Frds%20ca.pem',
  )
  assert.match(cs.env, /^export PGHOST=mydb\.abc123\.us-east-1\.rds\.amazonaws\.com$/m)
  assert.match(cs.env, /^export PGHOSTADDR=127\.0\.0\.1$/m)
  assert.match(cs.env, /^export PGPORT=40123$/m)
  assert.match(cs.env, /^export PGUSER='iam user'$/m)
  assert.match(cs.env, /^export PGSSLMODE=verify-full$/m)
  assert.match(cs.env, /^export PGSSLROOTCERT='\/data\/certs\/rds ca.pem'$/m)
  assert.equal(cs.withToken, null)
  assert.ok(!/PGPASSWORD=/.test(cs.psql + cs.env + cs.uri + cs.jdbc))
})

test('JDBC is honest: verify-ca through the tunnel, with a note explaining why', () => {
  const cs = buildConnectionStrings({ target, localPort: 40123, caFile: '/ca.pem' })
  assert.match(cs.jdbc, /^jdbc:postgresql:\/\/127\.0\.0\.1:40123\/app\?.*sslmode=verify-ca/)
  assert.ok(cs.notes.some((n) => /pgjdbc has no hostaddr/.test(n) && /verify-ca/.test(n)))
  // The token hint signs for the RDS endpoint and port, not the tunnel.
  assert.ok(
    cs.notes.some((n) => n.includes('--hostname mydb.abc123.us-east-1.rds.amazonaws.com --port 5432')),
  )
})

test('the token variant only appears when asked and warns about expiry', () => {
  const token = { token: 'host:5432/?Action=connect&X-Amz-Signature=abc', issuedAt: 0, expiresAt: 900_000 }
  const cs = buildConnectionStrings({ target, localPort: 1, caFile: '/ca.pem', token })
  assert.ok(cs.withToken)
  assert.ok(cs.withToken.psql.startsWith(`PGPASSWORD='${token.token}' psql `))
  assert.match(cs.withToken.env, /export PGPASSWORD='/)
  assert.equal(cs.withToken.expiresAt, 900_000)
  assert.match(cs.withToken.warning, /15 minutes or less/)
})

test('quoting helpers', () => {
  assert.equal(shellQuote('abc'), 'abc')
  assert.equal(shellQuote("it's"), `'it'\\''s'`)
  assert.equal(conninfoValue('a b'), "'a b'")
  assert.equal(conninfoValue("a'b\\"), "'a\\'b\\\\'")
  assert.equal(conninfoValue(''), "''")
})
