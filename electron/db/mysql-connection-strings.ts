// Connection strings for MySQL/MariaDB tools through the tunnel. No MySQL client can dial
// 127.0.0.1 while verifying the certificate for the RDS name (libpq's hostaddr has no equivalent),
// so every string verifies the chain against the CA bundle but not the name, and the notes say so
// and how to get full verification (a hosts-file entry). Facts: docs/mysql.md.
import type { ConnectionStrings } from '../../shared/ipc/models'
import type { ConnectionStringInput } from './connection-strings'
import { shellQuote } from './connection-strings'

const enc = (v: string) => encodeURIComponent(v)

/** Builds the strings for a MySQL target whose tunnel listens on `localPort`. */
export function buildMySqlConnectionStrings(input: ConnectionStringInput): ConnectionStrings {
  const { target, localPort, caFile } = input
  const common = `--host=127.0.0.1 --port=${localPort} --user=${shellQuote(target.dbUser)}`
  // Debian's `mysql` is MariaDB's client: no --ssl-mode; --ssl-ca alone verifies the chain, and it
  // sends the cleartext password without a flag (docs/mysql.md). Oracle's client wants both flags.
  const mariadb = `mysql ${common} --ssl --ssl-ca=${shellQuote(caFile)} ${shellQuote(target.database)}`
  const oracle = `mysql ${common} --ssl-mode=VERIFY_CA --ssl-ca=${shellQuote(caFile)} --enable-cleartext-plugin ${shellQuote(target.database)}`
  const uri = `mysql://${enc(target.dbUser)}@127.0.0.1:${localPort}/${enc(target.database)}?ssl-mode=VERIFY_CA&ssl-ca=${enc(caFile)}`
  const envPairs: Array<[string, string]> = [
    ['MYSQL_HOST', '127.0.0.1'],
    ['MYSQL_TCP_PORT', String(localPort)],
    ['LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN', '1'],
  ]
  const env = envPairs.map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n')
  const jdbc =
    `jdbc:mariadb://127.0.0.1:${localPort}/${enc(target.database)}` +
    `?user=${enc(target.dbUser)}&sslMode=verify-ca&serverSslCert=${enc(caFile)}`
  const profile = target.awsProfile ? ` --profile ${shellQuote(target.awsProfile)}` : ''
  const tokenCommand =
    `aws rds generate-db-auth-token --hostname ${target.rdsHost} --port ${target.rdsPort}` +
    ` --username ${shellQuote(target.dbUser)} --region ${target.region}${profile}`
  const notes = [
    `These strings carry no password. Set one with: export MYSQL_PWD="$(${tokenCommand})" — the token is signed for ${target.rdsHost}:${target.rdsPort} (the RDS endpoint), never for 127.0.0.1:${localPort}, and is valid for at most 15 minutes. It travels as a cleartext password (mysql_clear_password), so keep TLS on.`,
    `TLS: no mysql client can dial 127.0.0.1 while checking the certificate for ${target.rdsHost}, so these strings verify the chain against the CA bundle (MariaDB client: --ssl-ca; Oracle client: --ssl-mode=VERIFY_CA; JDBC: sslMode=verify-ca) but not the host name. For full verification map ${target.rdsHost} to 127.0.0.1 in your hosts file and use --host=${target.rdsHost} with --ssl-verify-server-cert (MariaDB) or --ssl-mode=VERIFY_IDENTITY (Oracle).`,
    `Debian and Ubuntu ship MariaDB's mysql client: it has no --ssl-mode and calls --enable-cleartext-plugin obsolete (it sends the cleartext password when the server asks). Oracle's client refuses mysql_clear_password unless --enable-cleartext-plugin or LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN=1 is set.`,
    `JDBC: MariaDB Connector/J reads the PEM bundle (serverSslCert). MySQL Connector/J needs the bundle imported into a trust store (trustCertificateKeyStoreUrl) with sslMode=VERIFY_CA. With the AWS Advanced JDBC Wrapper's IAM plugin set iamHost=${target.rdsHost} and iamDefaultPort=${target.rdsPort}.`,
    `The tunnel's local port ${localPort} changes when the tunnel reopens unless the target fixes it.`,
  ]
  const entries = [
    { key: 'mysql', label: 'mysql (MariaDB client)', value: mariadb },
    { key: 'mysql-oracle', label: 'mysql (Oracle client)', value: oracle },
    { key: 'uri', label: 'URI (MySQL Shell)', value: uri },
    { key: 'env', label: 'Environment', value: env },
    { key: 'jdbc', label: 'JDBC (MariaDB Connector/J)', value: jdbc },
  ]
  let withToken: ConnectionStrings['withToken'] = null
  if (input.token) {
    const pw = shellQuote(input.token.token)
    const tokenMysql = { key: 'token-mysql', label: 'mysql with token', value: `MYSQL_PWD=${pw} ${mariadb}` }
    const tokenEnv = { key: 'token-env', label: 'MYSQL_PWD', value: `${env}\nexport MYSQL_PWD=${pw}` }
    const tokenEntries = [tokenMysql, tokenEnv]
    withToken = {
      psql: tokenMysql.value,
      env: tokenEnv.value,
      entries: tokenEntries,
      expiresAt: input.token.expiresAt,
      warning: `Contains a live IAM token that expires at ${new Date(input.token.expiresAt).toISOString()} (15 minutes or less). Anyone holding it can log in as ${target.dbUser} until then; do not paste it into chats or tickets. Connections opened before it expires stay open.`,
    }
  }
  return { entries, psql: mariadb, uri, env, jdbc, caFile, notes, withToken }
}
