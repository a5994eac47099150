// The real MariaDB/MySQL server behind the simulator's MySQL gate (127.0.0.1:3306 as root with no
// password on our machines; PORTHOLE_MYSQL_URL for another). There is no embedded fallback: when
// nothing answers, the simulator simply has no MySQL database (and the demo offers PostgreSQL only).
//
// IAM users are modelled on the simulator's side: `iamUsers` is the list of users "created WITH
// AWSAuthenticationPlugin". For each, the simulator creates an ordinary upstream account with a
// password only the gate knows, which the gate logs in as after the token checked out.
import { createHash } from 'node:crypto'
import mysql from 'mysql2/promise'
import { type Logger, silentLogger } from '../sim-logger'
import { MYSQL_DEMO_ANALYTICS_DB, mysqlDemoSeedStatements, quoteMySqlIdent } from './mysql-demo-seed'

/** A reachable MySQL-family upstream with the demo database seeded. */
export interface MySqlUpstream {
  host: string
  port: number
  database: string
  /** Server version, e.g. 10.11.19-MariaDB-0+deb12u1. */
  version: string
  /** Users created WITH AWSAuthenticationPlugin (simulated). */
  iamUsers: Set<string>
  /** Creates (or refreshes) the upstream account for an IAM user, granted on the demo databases. */
  addIamUser(user: string): Promise<void>
  /** The password of the upstream account behind an IAM user. */
  passwordFor(user: string): string
  close(): Promise<void>
}

const DEFAULT_URL = 'mysql://root@127.0.0.1:3306'
const SEED_LOCK = 'porthole_demo_seed'

/** The password of the sim-created account behind an IAM user: fixed per name, never an IAM token. */
function passwordFor(user: string): string {
  return `sim-${createHash('sha256').update(`porthole-sim:${user}`).digest('hex').slice(0, 24)}`
}

function adminConfig(url: string, connectTimeout: number): mysql.ConnectionOptions {
  const u = new URL(url)
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    connectTimeout,
  }
}

/** Probes the MySQL server; resolves null when nothing answers within about a second. */
export async function startMySqlUpstream(options: {
  url?: string
  database: string
  dbUser: string
  logger?: Logger
}): Promise<MySqlUpstream | null> {
  const log = options.logger ?? silentLogger
  const url = options.url ?? process.env.PORTHOLE_MYSQL_URL ?? DEFAULT_URL
  let admin: mysql.Connection
  try {
    admin = await mysql.createConnection(adminConfig(url, 1000))
  } catch (err) {
    log.info(
      `no MySQL/MariaDB answered at ${new URL(url).host} (${(err as Error).message}); the demo offers PostgreSQL only`,
    )
    return null
  }
  admin.on('error', () => {})
  const cfg = adminConfig(url, 1000)
  const db = options.database
  const iamUsers = new Set<string>()
  try {
    const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v')
    const version = String(rows[0]?.v ?? '')
    await seed(admin, db)
    const addIamUser = async (user: string): Promise<void> => {
      const c = await mysql.createConnection(cfg)
      try {
        const account = `${c.escape(user)}@'%'`
        await c.query(`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${c.escape(passwordFor(user))}`)
        await c.query(`ALTER USER ${account} IDENTIFIED BY ${c.escape(passwordFor(user))}`)
        for (const name of [db, MYSQL_DEMO_ANALYTICS_DB])
          await c.query(
            `GRANT SELECT, INSERT, UPDATE, DELETE, SHOW VIEW, CREATE TEMPORARY TABLES ON ${quoteMySqlIdent(name)}.* TO ${account}`,
          )
      } finally {
        await c.end().catch(() => {})
      }
      iamUsers.add(user)
    }
    await addIamUser(options.dbUser)
    log.info(`MySQL upstream: ${version} at ${cfg.host}:${cfg.port}, database ${db}`)
    return {
      host: String(cfg.host),
      port: Number(cfg.port),
      database: db,
      version,
      iamUsers,
      addIamUser,
      passwordFor,
      close: async () => {},
    }
  } finally {
    await admin.end().catch(() => {})
  }
}

/** Seeds the demo databases once; racing simulators serialize on a named lock. */
async function seed(admin: mysql.Connection, db: string): Promise<void> {
  const [lock] = await admin.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 120) AS ok', [SEED_LOCK])
  if (Number(lock[0]?.ok) !== 1) throw new Error('timed out waiting for the MySQL demo seed lock')
  try {
    const [marker] = await admin.query<mysql.RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'demo_seed_info'`,
      [db],
    )
    if (Number(marker[0]?.n) > 0) return
    // A half-done earlier seed (no marker) is dropped and redone.
    for (const name of [db, MYSQL_DEMO_ANALYTICS_DB]) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteMySqlIdent(name)}`)
      await admin.query(`CREATE DATABASE ${quoteMySqlIdent(name)} CHARACTER SET utf8mb4`)
    }
    for (const sql of mysqlDemoSeedStatements(db)) await admin.query(sql)
  } finally {
    await admin.query('SELECT RELEASE_LOCK(?)', [SEED_LOCK]).catch(() => {})
  }
}
