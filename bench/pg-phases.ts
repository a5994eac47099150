// Times one fresh pg connection through a tunnel phase by phase: TCP + SSLRequest answer, TLS
// handshake, startup + IAM authentication, and the first query. Each phase is at least one round
// trip through the tunnel, which is what Connect → first result pays after the tunnel is up.
import type { TLSSocket } from 'node:tls'
import pg from 'pg'

export interface PgPhases {
  'TCP+SSLRequest ms': number
  'TLS ms': number
  'startup+auth ms': number
  'first query ms': number
  'TLS resumed': boolean
}

/**
 * Connects once with `config` (ssl options required) and reports each phase's duration. `Client`
 * may be the engine's class (electron/db/pg-connect.ts), which sends the token behind the startup.
 */
export async function timePgPhases(
  config: pg.ClientConfig,
  Client: typeof pg.Client = pg.Client,
): Promise<PgPhases> {
  const client = new Client(config)
  const t0 = performance.now()
  let sslAt = t0
  let tlsAt = t0
  client.connection.once('sslconnect', () => {
    sslAt = performance.now()
    const tls = client.connection.stream as TLSSocket
    tls.once('secureConnect', () => {
      tlsAt = performance.now()
    })
    // Keep the ticket in the shared ssl options, as the engine's pools do (pg-connect.ts).
    tls.on('session', (session: Buffer) => {
      if (typeof config.ssl === 'object') config.ssl.session = session
    })
  })
  await client.connect()
  const authAt = performance.now()
  await client.query('select 1')
  const queryAt = performance.now()
  const resumed = (client.connection.stream as TLSSocket).isSessionReused()
  await client.end()
  const r = (n: number) => Math.round(n * 10) / 10
  return {
    'TCP+SSLRequest ms': r(sslAt - t0),
    'TLS ms': r(tlsAt - sslAt),
    'startup+auth ms': r(authAt - tlsAt),
    'first query ms': r(queryAt - authAt),
    'TLS resumed': resumed,
  }
}
