// Connection strings for a MySQL target's local auth proxy: no token, no certificate path, and no
// password in argv or the environment (the mysql client reads the local secret from the target's
// 0600 option file; the Unix socket needs none). They work for as long as the proxy runs.
import { join } from 'node:path'
import type { ProxyConnectionStrings } from '../../shared/ipc/proxy-models'
import { socketFileName } from '../proxy/proxy-listener'
import { shellQuote } from './connection-strings'

export interface MySqlProxyStringInput {
  port: number
  user: string
  database: string
  /** Unix socket folder, when the platform has one. */
  socketDir: string | null
  /** The target's option file ([client] password = the local secret). */
  optionFile: string | null
}

const enc = (v: string): string => encodeURIComponent(v)

/** Builds the proxy strings for a running MySQL proxy. */
export function buildMySqlProxyConnectionStrings(input: MySqlProxyStringInput): ProxyConnectionStrings {
  const { port, user, database } = input
  const q = shellQuote
  // --defaults-extra-file must come first; -h 127.0.0.1 because "localhost" means the socket to mysql.
  const defaults = input.optionFile ? `--defaults-extra-file=${q(input.optionFile)} ` : ''
  const mysql = `mysql ${defaults}-h 127.0.0.1 -P ${port} -u ${q(user)} ${q(database)}`
  const socketPath = input.socketDir ? join(input.socketDir, socketFileName('mysql', port)) : null
  const socket = socketPath ? `mysql --socket=${q(socketPath)} -u ${q(user)} ${q(database)}` : null
  const uri = `mysql://${enc(user)}@127.0.0.1:${port}/${enc(database)}`
  const envPairs: Array<[string, string]> = [
    ['MYSQL_HOST', '127.0.0.1'],
    ['MYSQL_TCP_PORT', String(port)],
  ]
  if (socketPath) envPairs.push(['MYSQL_UNIX_PORT', socketPath])
  const env = envPairs.map(([k, v]) => `export ${k}=${q(v)}`).join('\n')
  const jdbc = `jdbc:mysql://127.0.0.1:${port}/${enc(database)}?user=${enc(user)}&sslMode=DISABLED`
  const mariadbJdbc = `jdbc:mariadb://127.0.0.1:${port}/${enc(database)}?user=${enc(user)}`
  const gui = `DBeaver / DataGrip / MySQL Workbench / TablePlus: new MySQL connection, host 127.0.0.1, port ${port}, database ${database}, user ${user}, password = the local secret (Porthole → Proxy → Copy secret), SSL off (DBeaver: SSL tab unchecked; DataGrip: sslMode=DISABLED). The proxy signs a fresh IAM token and verifies TLS to RDS itself.`
  const entries = [
    { key: 'proxy-mysql', label: 'mysql (TCP; secret from the option file)', value: mysql },
    ...(socket ? [{ key: 'proxy-socket', label: 'mysql (Unix socket; no secret)', value: socket }] : []),
    { key: 'proxy-jdbc', label: 'JDBC (MySQL Connector/J)', value: jdbc },
    { key: 'proxy-jdbc-mariadb', label: 'JDBC (MariaDB Connector/J)', value: mariadbJdbc },
    { key: 'proxy-uri', label: 'URI', value: uri },
    { key: 'proxy-env', label: 'Environment', value: env },
  ]
  return {
    psql: mysql,
    psqlSocket: socket,
    uri,
    env,
    jdbc,
    gui,
    entries,
    notes: [
      `The proxy on 127.0.0.1:${port} logs in to RDS with a fresh IAM token per connection over TLS verified for the RDS endpoint; these strings hold no token and no certificate path and keep working while Porthole runs the proxy.`,
      `Over TCP the proxy asks for its per-target local secret (other local users can reach 127.0.0.1), checked as a mysql_native_password scramble so it never crosses the socket in clear. The mysql client reads it from the option file${input.optionFile ? ` ${input.optionFile}` : ''} (0600); JDBC and GUI tools need it pasted once as the password.`,
      socketPath
        ? `The Unix socket ${socketPath} (folder 0700, socket 0600) is reachable only by your user and needs no secret.`
        : 'This platform has no Unix socket for the proxy; use TCP with the local secret.',
      'Loopback traffic between your tool and the proxy is not encrypted (the proxy does not offer TLS on 127.0.0.1). The mysql client and JDBC drivers fall back to plaintext by default; a tool set to require SSL must be set to DISABLED or PREFERRED.',
      "Ctrl-C in mysql works: the proxy hands your tool the database's own connection id, so the client's KILL QUERY goes through the proxy to the right session.",
    ],
  }
}
