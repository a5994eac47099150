// Measuring helpers for bench/proxy.ts: SELECT 1 round trips over several paths taken in
// alternation (so a noisy machine hits every path alike), paired differences, a bare proxy front
// with no tunnel behind it, and psql's SIGINT → exit latency on `select pg_sleep(30)`.
import { spawn } from 'node:child_process'
import net from 'node:net'
import type pg from 'pg'
import { silentLogger } from '../electron/base/logger'
import { ClientRegistry } from '../electron/proxy/client-registry'
import { createPgFront } from '../electron/proxy/pg-front'
import type { UpstreamRoute } from '../electron/proxy/pg-upstream'

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
