// The database behind the RDS IAM gate: a real PostgreSQL when one answers (CI and dev machines run
// one on 127.0.0.1:5432 with trust auth), else an embedded PGlite served over TCP by pglite-socket.
//
// PGlite limits, learned from @electric-sql/pglite(-socket) 0.5 / 0.2 and worth knowing in the demo:
// - PGlite is ONE single-user backend. pglite-socket multiplexes up to `maxConnections` sockets onto it
//   at the query level; every connection shares one session (SET, temp tables, prepared statements
//   and current_user/current_database are the same for all). The startup message's user and database
//   are ignored: sessions are always `postgres` on database `postgres`.
// - While one connection is inside a transaction, other connections' queries queue until it ends.
// - A connection beyond `maxConnections` gets the raw text "Too many connections" and is closed.
// - CancelRequest is read and ignored, so protocol cancel does nothing on PGlite.
// - Startup takes seconds (WASM), so the simulator should start it once and share it.
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import { DEMO } from '../../shared/demo'
import { type Logger, silentLogger } from '../sim-logger'
import { DEMO_SEED_MARKER, demoSeedSql } from './demo-seed'

/** Options for {@link startUpstream}. */
export interface UpstreamOptions {
  /** 'auto' tries PostgreSQL for about a second, then falls back to PGlite. */
  prefer?: 'auto' | 'postgres' | 'pglite'
  /** Database to create and seed on PostgreSQL (PGlite always serves `postgres`). */
  database?: string
  /** Login role to create and grant (sessions through the gate connect as this user). */
  dbUser?: string
  seed?: 'demo' | 'none'
  /** Superuser connection URL; default env PORTHOLE_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres. */
  postgresUrl?: string
  /** Connections pglite-socket accepts at once (they share one session; see the header comment). */
  pgliteMaxConnections?: number
  logger?: Logger
}

/** A running upstream the gate can splice to (plain TCP, trust auth). */
export interface Upstream {
  kind: 'postgres' | 'pglite'
  host: string
  port: number
  /** The database sessions land in (`postgres` on PGlite, whatever the client asks). */
  database: string
  /** A superuser connection URL (the gate reads rds_iam membership and password verifiers with it). */
  adminUrl?: string
  /** Stops PGlite; for PostgreSQL only forgets it (the database is left for the next run). */
  close(): Promise<void>
}

const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
const PROBE_TIMEOUT_MS = 1000
// Any constant works; it only has to be the same in every process that might seed at once.
const SEED_LOCK_KEY = 0x504f5254 // 'PORT'

/** Starts (or finds) the upstream database and makes sure the demo role and data exist. */
export async function startUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const log = options.logger ?? silentLogger
  const prefer = options.prefer ?? 'auto'
  const database = options.database ?? DEMO.database
  const dbUser = options.dbUser ?? DEMO.dbUser
  const seed = options.seed ?? 'demo'
  const url = options.postgresUrl ?? process.env.PORTHOLE_PG_URL ?? DEFAULT_PG_URL

  if (prefer !== 'pglite') {
    const reachable = await probe(url)
    if (reachable) {
      await preparePostgres(url, database, dbUser, seed)
      const u = new URL(url)
      log.info(`upstream: PostgreSQL at ${u.hostname}:${u.port || 5432}, database ${database}`)
      return {
        kind: 'postgres',
        host: u.hostname,
        port: Number(u.port || 5432),
        database,
        adminUrl: url,
        close: async () => {},
      }
    }
    if (prefer === 'postgres') throw new Error(`PostgreSQL is not reachable at ${redact(url)}`)
    log.info('upstream: no PostgreSQL answered; starting embedded PGlite')
  }
  return startPglite(dbUser, seed, options.pgliteMaxConnections ?? 8)
}

function redact(url: string): string {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}

async function probe(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS })
  c.on('error', () => {})
  try {
    await c.connect()
    await c.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await c.end().catch(() => {})
  }
}

function pgCode(err: unknown): string | undefined {
  return (err as { code?: string }).code
}

/** Runs `sql`, ignoring "already exists" (including the unique_violation of a concurrent create). */
async function createIfMissing(client: pg.Client, sql: string, codes: string[]): Promise<void> {
  try {
    await client.query(sql)
  } catch (err) {
    if (!codes.includes(pgCode(err) ?? '') && pgCode(err) !== '23505') throw err
  }
}

/**
 * RDS creates the rds_iam role; granting it to a login role switches that role to IAM auth. Run on
 * every start (not only with the seed) so databases seeded before the gate checked it still work.
 */
async function grantRdsIam(admin: pg.Client, quotedRole: string): Promise<void> {
  const iam = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'")
  if (iam.rowCount === 0) await createIfMissing(admin, 'CREATE ROLE rds_iam NOLOGIN', ['42710'])
  await admin.query(`GRANT rds_iam TO ${quotedRole}`).catch((err: unknown) => {
    // A concurrent GRANT of the same membership is harmless.
    if (pgCode(err) !== 'XX000' && pgCode(err) !== '23505') throw err
  })
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  c.on('error', () => {})
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end().catch(() => {})
  }
}

async function preparePostgres(url: string, database: string, dbUser: string, seed: string): Promise<void> {
  await withClient(url, async (admin) => {
    const role = pg.escapeIdentifier(dbUser)
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [dbUser])
    if (exists.rowCount === 0) await createIfMissing(admin, `CREATE ROLE ${role} LOGIN`, ['42710'])
    await grantRdsIam(admin, role)
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (db.rowCount === 0)
      await createIfMissing(admin, `CREATE DATABASE ${pg.escapeIdentifier(database)}`, ['42P04'])
  })
  if (seed !== 'demo') return
  const target = new URL(url)
  target.pathname = `/${encodeURIComponent(database)}`
  await withClient(target.toString(), async (c) => {
    await c.query('BEGIN')
    try {
      // Serializes racing seeders; the loser sees the marker and does nothing.
      await c.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY])
      const marker = await c.query('SELECT to_regclass($1) AS t', [DEMO_SEED_MARKER])
      if (marker.rows[0].t === null) await c.query(demoSeedSql(dbUser))
      await c.query('COMMIT')
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    }
  })
}

async function startPglite(dbUser: string, seed: string, maxConnections: number): Promise<Upstream> {
  const db = new PGlite()
  await db.waitReady
  if (seed === 'demo') {
    // The role and its rds_iam membership exist so the GRANTs and the gate read as on RDS PostgreSQL.
    await db.exec(`CREATE ROLE ${pg.escapeIdentifier(dbUser)} LOGIN`)
    await db.exec(`CREATE ROLE rds_iam NOLOGIN; GRANT rds_iam TO ${pg.escapeIdentifier(dbUser)}`)
    await db.transaction(async (tx) => {
      await tx.exec(demoSeedSql(dbUser))
    })
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections })
  await server.start()
  const port = Number(server.getServerConn().split(':').pop())
  return {
    kind: 'pglite',
    host: '127.0.0.1',
    port,
    database: 'postgres',
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    close: async () => {
      await server.stop()
      await db.close()
    },
  }
}
