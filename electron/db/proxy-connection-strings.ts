// Connection strings for the local auth proxy: they carry no token, no certificate path and no
// password (libpq finds the local secret in the pgpass file; the Unix socket needs none), and they
// work for as long as the proxy runs. Direct-tunnel strings (connection-strings.ts) stay "advanced".
import type { ProxyConnectionStrings } from '../../shared/ipc/proxy-models'
import { conninfoValue, shellQuote } from './connection-strings'

export interface ProxyStringInput {
  port: number
  user: string
  database: string
  /** Unix socket folder, when the platform has one. */
  socketDir: string | null
  pgpassFile: string | null
}

const enc = (v: string): string =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** Builds the proxy strings for a running proxy. */
export function buildProxyConnectionStrings(input: ProxyStringInput): ProxyConnectionStrings {
  const { port, user, database } = input
  const conninfo = (host: string): string =>
    [
      ['host', host],
      ['port', String(port)],
      ['user', user],
      ['dbname', database],
    ]
      .map(([k, v]) => `${k}=${conninfoValue(v ?? '')}`)
      .join(' ')
  const passfile = input.pgpassFile ? `PGPASSFILE=${shellQuote(input.pgpassFile)} ` : ''
  const envPairs: Array<[string, string]> = [
    ['PGHOST', '127.0.0.1'],
    ['PGPORT', String(port)],
    ['PGUSER', user],
    ['PGDATABASE', database],
  ]
  if (input.pgpassFile) envPairs.push(['PGPASSFILE', input.pgpassFile])
  return {
    psql: `${passfile}psql ${shellQuote(conninfo('127.0.0.1'))}`,
    psqlSocket: input.socketDir ? `psql ${shellQuote(conninfo(input.socketDir))}` : null,
    uri: `postgresql://${enc(user)}@127.0.0.1:${port}/${enc(database)}`,
    env: envPairs.map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n'),
    jdbc: `jdbc:postgresql://127.0.0.1:${port}/${enc(database)}?user=${enc(user)}&sslmode=disable`,
    gui: `DBeaver / DataGrip / pgAdmin / TablePlus: new PostgreSQL connection, host 127.0.0.1, port ${port}, database ${database}, user ${user}, password = the local secret (Porthole → Proxy → Copy secret), SSL off. The proxy signs a fresh IAM token and verifies TLS to RDS itself.`,
    notes: [
      `The proxy on 127.0.0.1:${port} logs in to RDS with a fresh IAM token per connection over TLS verified for the RDS endpoint; these strings hold no token and no certificate path and keep working while Porthole runs the proxy.`,
      'Over TCP the proxy asks for its per-target local secret (other local users can reach 127.0.0.1). libpq tools read it from the pgpass file (PGPASSFILE); GUI tools need it pasted once as the password.',
      input.socketDir
        ? `The Unix socket in ${input.socketDir} (folder 0700, socket 0600) is reachable only by your user and needs no secret.`
        : 'This platform has no Unix socket for the proxy; use TCP with the local secret.',
      "Loopback traffic between your tool and the proxy is not encrypted (the proxy answers SSLRequest with N, like Cloud SQL Auth Proxy); psql's default sslmode=prefer accepts that, sslmode=require does not.",
    ],
  }
}
