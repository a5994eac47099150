// MySQL connection strings: loopback with the CA bundle, shell-safe quoting, honest TLS notes, and
// the token only in the variant asked for.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildMySqlConnectionStrings } from '../../../electron/db/mysql-connection-strings'

const target = {
  rdsHost: 'shop.abc.eu-west-1.rds.amazonaws.com',
  rdsPort: 3306,
  dbUser: "o'brien",
  database: 'shop db',
  region: 'eu-west-1',
  awsProfile: undefined,
}

test('client strings dial 127.0.0.1 with the CA bundle; odd names are shell-quoted', () => {
  const cs = buildMySqlConnectionStrings({ target, localPort: 40001, caFile: '/tmp/ca bundle.pem' })
  const byKey = new Map(cs.entries?.map((e) => [e.key, e.value]))
  assert.equal(
    byKey.get('mysql'),
    `mysql --host=127.0.0.1 --port=40001 --user='o'\\''brien' --ssl --ssl-ca='/tmp/ca bundle.pem' 'shop db'`,
  )
  assert.match(
    byKey.get('mysql-oracle') ?? '',
    /--ssl-mode=VERIFY_CA .* --enable-cleartext-plugin 'shop db'$/,
  )
  assert.equal(
    byKey.get('jdbc'),
    "jdbc:mariadb://127.0.0.1:40001/shop%20db?user=o'brien&sslMode=verify-ca&serverSslCert=%2Ftmp%2Fca%20bundle.pem",
  )
  assert.equal(cs.withToken, null)
  assert.ok(cs.notes.some((n) => n.includes('signed for shop.abc.eu-west-1.rds.amazonaws.com:3306')))
  assert.ok(cs.notes.some((n) => n.includes('but not the host name')))
})

test('the token variant carries the token in MYSQL_PWD, quoted, with its expiry warning', () => {
  const token = 'shop.abc.eu-west-1.rds.amazonaws.com:3306/?Action=connect&X-Amz-Signature=ab'
  const cs = buildMySqlConnectionStrings({
    target,
    localPort: 40001,
    caFile: '/ca.pem',
    token: { token, issuedAt: 0, expiresAt: 900_000 },
  })
  const mysql = cs.withToken?.entries?.find((e) => e.key === 'token-mysql')?.value ?? ''
  assert.ok(mysql.startsWith(`MYSQL_PWD='${token}' mysql --host=127.0.0.1`))
  assert.match(cs.withToken?.warning ?? '', /15 minutes or less/)
})
