// Connection strings for other tools. libpq can dial 127.0.0.1 (hostaddr) while verifying the RDS
// name (host), docs/rds-iam.md §C.3; pgjdbc cannot (§C.4), and the notes say so instead of pretending.
import type { ConnectionStrings } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import type { IamToken } from '../aws/iam-token'

export interface ConnectionStringInput {
  target: Pick<Target, 'rdsHost' | 'rdsPort' | 'dbUser' | 'database' | 'region' | 'awsProfile'>
  localPort: number
  caFile: string
  /** Only when the user explicitly asked for a copy with the token. */
  token?: IamToken
}

/** Quotes a word for POSIX shells (single quotes; embedded ones as '\''), leaving safe words bare. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/** Quotes a libpq conninfo value (single quotes with \\ and \' escapes) when needed. */
export function conninfoValue(value: string): string {
  if (value !== '' && !/[\s'\\]/.test(value)) return value
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/** Percent-encodes a URI component the RFC 3986 way (also !'()*). */
function enc(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** Builds every connection string for a target whose tunnel listens on `localPort`. */
export function buildConnectionStrings(input: ConnectionStringInput): ConnectionStrings {
  const { target, localPort, caFile } = input
  const params: Array<[string, string]> = [
    ['host', target.rdsHost],
    ['hostaddr', '127.0.0.1'],
    ['port', String(localPort)],
    ['user', target.dbUser],
    ['dbname', target.database],
    ['sslmode', 'verify-full'],
    ['sslrootcert', caFile],
  ]
  const conninfo = params.map(([k, v]) => `${k}=${conninfoValue(v)}`).join(' ')
  const psql = `psql ${shellQuote(conninfo)}`
  const uri =
    `postgresql://${enc(target.dbUser)}@${target.rdsHost}:${localPort}/${enc(target.database)}` +
    `?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=${enc(caFile)}`
  const envPairs: Array<[string, string]> = [
    ['PGHOST', target.rdsHost],
    ['PGHOSTADDR', '127.0.0.1'],
    ['PGPORT', String(localPort)],
    ['PGUSER', target.dbUser],
    ['PGDATABASE', target.database],
    ['PGSSLMODE', 'verify-full'],
    ['PGSSLROOTCERT', caFile],
  ]
  const env = envPairs.map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n')
  const jdbc =
    `jdbc:postgresql://127.0.0.1:${localPort}/${enc(target.database)}` +
    `?user=${enc(target.dbUser)}&ssl=true&sslmode=verify-ca&sslrootcert=${enc(caFile)}`
  const profile = target.awsProfile ? ` --profile ${shellQuote(target.awsProfile)}` : ''
  const tokenCommand =
    `aws rds generate-db-auth-token --hostname ${target.rdsHost} --port ${target.rdsPort}` +
    ` --username ${shellQuote(target.dbUser)} --region ${target.region}${profile}`
  const notes = [
    `These strings carry no password. Set one with: export PGPASSWORD="$(${tokenCommand})" — the token is signed for ${target.rdsHost}:${target.rdsPort} (the RDS endpoint), never for 127.0.0.1:${localPort}, and is valid for at most 15 minutes.`,
    `psql, the URI and the PG* variables dial 127.0.0.1:${localPort} (hostaddr) and verify the certificate for ${target.rdsHost} (sslmode=verify-full).`,
    `JDBC: pgjdbc has no hostaddr, so through a loopback tunnel verify-full would check "127.0.0.1" against the certificate and fail. The JDBC URL uses sslmode=verify-ca: the chain is verified against the CA bundle but the host name is not. For full verification map ${target.rdsHost} to 127.0.0.1 in your hosts file and use jdbc:postgresql://${target.rdsHost}:${localPort}/${enc(target.database)}?sslmode=verify-full&sslrootcert=..., or configure sslhostnameverifier with a verifier that checks ${target.rdsHost}. With the AWS Advanced JDBC Wrapper's IAM plugin set iamHost=${target.rdsHost} and iamDefaultPort=${target.rdsPort}.`,
    `The tunnel's local port ${localPort} changes when the tunnel reopens unless the target fixes it.`,
  ]
  let withToken: ConnectionStrings['withToken'] = null
  if (input.token) {
    const pw = shellQuote(input.token.token)
    withToken = {
      psql: `PGPASSWORD=${pw} ${psql}`,
      env: `${env}\nexport PGPASSWORD=${pw}`,
      expiresAt: input.token.expiresAt,
      warning: `Contains a live IAM token that expires at ${new Date(input.token.expiresAt).toISOString()} (15 minutes or less). Anyone holding it can log in as ${target.dbUser} until then; do not paste it into chats or tickets. Connections opened before it expires stay open.`,
    }
  }
  return { psql, uri, env, jdbc, caFile, notes, withToken }
}
