// Schema browsing for MySQL/MariaDB from information_schema: databases as schemas (MySQL has no
// schemas inside a database), tables and views with TABLE_ROWS estimates, columns with keys and
// foreign-key targets, indexes from STATISTICS, and the DDL from SHOW CREATE TABLE / VIEW.
import type mysql from 'mysql2'
import { PortholeError } from '../../shared/errors'
import type { SchemaTree, TableDetails, TablePreview } from '../../shared/ipc/models'
import { describeMySqlColumns, mysqlCells } from './mysql-columns'
import { textTypeCast } from './mysql-connect'
import { mapMySqlSqlError } from './mysql-errors'
import type { MySqlTargetPools } from './mysql-pools'

const SYSTEM_SCHEMAS = ['information_schema', 'mysql', 'performance_schema', 'sys']

/** Quotes a MySQL identifier with backticks (embedded ones doubled), so names are never raw SQL. */
export function quoteMySqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}

type Row = Record<string, string | number | null>

function select(conn: mysql.PoolConnection, sql: string, values: unknown[] = []): Promise<Row[]> {
  return new Promise((resolve, reject) =>
    conn.query({ sql, values }, (err, rows) => (err ? reject(err) : resolve(rows as Row[]))),
  )
}

async function withUtil<T>(pools: MySqlTargetPools, fn: (c: mysql.PoolConnection) => Promise<T>): Promise<T> {
  const conn = await pools.connect('util')
  try {
    return await fn(conn)
  } catch (err) {
    throw mapMySqlSqlError(err)
  } finally {
    conn.release()
  }
}

const kindOf = (tableType: unknown): TableDetails['kind'] => (tableType === 'VIEW' ? 'view' : 'table')
const estimate = (type: unknown, rows: unknown): number | null =>
  type === 'VIEW' || rows === null || rows === undefined ? null : Number(rows)

/** Lists the databases the user can see with their tables and views. */
export function listMySqlSchema(pools: MySqlTargetPools): Promise<SchemaTree> {
  return withUtil(pools, async (conn) => {
    const schemas = await select(
      conn,
      `SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA
        WHERE SCHEMA_NAME NOT IN (?) ORDER BY SCHEMA_NAME`,
      [SYSTEM_SCHEMAS],
    )
    const rels = await select(
      conn,
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS n, TABLE_TYPE AS t, TABLE_ROWS AS r FROM information_schema.TABLES
        WHERE TABLE_SCHEMA NOT IN (?) AND TABLE_TYPE IN ('BASE TABLE', 'VIEW') ORDER BY TABLE_SCHEMA, TABLE_NAME`,
      [SYSTEM_SCHEMAS],
    )
    const tree: SchemaTree = { schemas: schemas.map((s) => ({ name: String(s.name), relations: [] })) }
    const byName = new Map(tree.schemas.map((s) => [s.name, s]))
    for (const r of rels)
      byName
        .get(String(r.s))
        ?.relations.push({ name: String(r.n), kind: kindOf(r.t), estimatedRows: estimate(r.t, r.r) })
    return tree
  })
}

/** Columns (type, nullability, default, PK, FK target), indexes and DDL of one table or view. */
export function describeMySqlTable(
  pools: MySqlTargetPools,
  schema: string,
  name: string,
): Promise<TableDetails> {
  return withUtil(pools, async (conn) => {
    const [rel] = await select(
      conn,
      `SELECT TABLE_TYPE AS t, TABLE_ROWS AS r FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE IN ('BASE TABLE', 'VIEW')`,
      [schema, name],
    )
    if (!rel) throw PortholeError.of('NOT_FOUND', `No table or view ${schema}.${name}.`)
    const cols = await select(
      conn,
      `SELECT c.COLUMN_NAME AS name, c.COLUMN_TYPE AS type, c.IS_NULLABLE AS nullable, c.COLUMN_DEFAULT AS def,
              c.COLUMN_KEY AS colkey,
              (SELECT CONCAT(k.REFERENCED_TABLE_SCHEMA, '.', k.REFERENCED_TABLE_NAME, '(', k.REFERENCED_COLUMN_NAME, ')')
                 FROM information_schema.KEY_COLUMN_USAGE k
                WHERE k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
                  AND k.COLUMN_NAME = c.COLUMN_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL LIMIT 1) AS ref
         FROM information_schema.COLUMNS c
        WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION`,
      [schema, name],
    )
    const idx = await select(
      conn,
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonunique, INDEX_TYPE AS type,
              GROUP_CONCAT(CONCAT('\`', REPLACE(COLUMN_NAME, '\`', '\`\`'), '\`') ORDER BY SEQ_IN_INDEX SEPARATOR ', ') AS cols
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
        GROUP BY INDEX_NAME, NON_UNIQUE, INDEX_TYPE ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME`,
      [schema, name],
    )
    const view = rel.t === 'VIEW'
    const ddlRows = await select(
      conn,
      `SHOW CREATE ${view ? 'VIEW' : 'TABLE'} ${quoteMySqlIdent(schema)}.${quoteMySqlIdent(name)}`,
    )
    const ddlRow = ddlRows[0] ?? {}
    const ddl = (view ? ddlRow['Create View'] : ddlRow['Create Table']) ?? null
    return {
      schema,
      name,
      kind: kindOf(rel.t),
      estimatedRows: estimate(rel.t, rel.r),
      columns: cols.map((c) => ({
        name: String(c.name),
        typeName: String(c.type),
        nullable: c.nullable === 'YES',
        default: c.def === null ? null : String(c.def),
        primaryKey: c.colkey === 'PRI',
        references: c.ref === null ? null : String(c.ref),
      })),
      indexes: idx.map((i) => {
        const primary = i.name === 'PRIMARY'
        const unique = Number(i.nonunique) === 0
        const label = primary
          ? 'PRIMARY KEY'
          : `${unique ? 'UNIQUE ' : ''}KEY ${quoteMySqlIdent(String(i.name))}`
        return { name: String(i.name), definition: `${label} (${i.cols}) USING ${i.type}`, unique, primary }
      }),
      ddl: ddl === null ? undefined : String(ddl),
    }
  })
}

/** A page of rows, ordered by the primary key when there is one so offset paging is stable. */
export function previewMySqlTable(
  pools: MySqlTargetPools,
  schema: string,
  name: string,
  offset: number,
  limit: number,
): Promise<TablePreview> {
  return withUtil(pools, async (conn) => {
    const pk = await select(
      conn,
      `SELECT COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
      [schema, name],
    )
    const order = pk.length ? ` ORDER BY ${pk.map((r) => quoteMySqlIdent(String(r.col))).join(', ')}` : ''
    const { rows, fields } = await new Promise<{ rows: unknown[][]; fields: mysql.FieldPacket[] }>(
      (resolve, reject) =>
        conn.query(
          {
            sql: `SELECT * FROM ${quoteMySqlIdent(schema)}.${quoteMySqlIdent(name)}${order} LIMIT ? OFFSET ?`,
            values: [limit + 1, offset],
            rowsAsArray: true,
            typeCast: textTypeCast,
          },
          (err, r, f) => (err ? reject(err) : resolve({ rows: r as unknown[][], fields: f })),
        ),
    )
    const columns = describeMySqlColumns(fields)
    return {
      columns,
      rows: rows.slice(0, limit).map((r) => mysqlCells(r, columns)),
      offset,
      hasMore: rows.length > limit,
    }
  })
}
