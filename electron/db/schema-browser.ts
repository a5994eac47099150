// Schema browsing from the catalogs (pg_class/pg_attribute/pg_index), not information_schema: it
// sees materialized views, partitioned and foreign tables, and reltuples estimates.
import type pg from 'pg'
import { PortholeError } from '../../shared/errors'
import type { SchemaTree, TableDetails, TablePreview } from '../../shared/ipc/models'
import { textTypes, toCells } from './display'
import { mapSqlError } from './pg-errors'
import type { TargetPools } from './pool-registry'
import { describeExtras, listColumnNames } from './schema-details'
import { describeColumns } from './type-names'

type RelationKind = TableDetails['kind']
const RELKINDS: Partial<Record<string, RelationKind>> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
  p: 'partitioned_table',
}

/** Quotes an identifier for SQL ("" doubles embedded quotes), so names are never interpolated raw. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

const estimate = (reltuples: string | null): number | null => {
  const n = reltuples === null ? -1 : Number(reltuples)
  return n < 0 ? null : Math.round(n)
}

/** Runs `fn` on a utility connection, mapping SQL errors. */
export async function withUtil<T>(pools: TargetPools, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pools.connect('util')
  try {
    return await fn(client)
  } catch (err) {
    throw mapSqlError(err, 0)
  } finally {
    client.release()
  }
}

/** Lists user schemas with their relations. */
export function listSchema(pools: TargetPools): Promise<SchemaTree> {
  return withUtil(pools, async (client) => {
    const schemas = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
          AND has_schema_privilege(oid, 'USAGE')
        ORDER BY nspname`,
    )
    const rels = await client.query<{
      schema: string
      name: string
      relkind: string
      reltuples: string | null
    }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.reltuples::text AS reltuples
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r','v','m','f','p') AND NOT c.relispartition
          AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        ORDER BY n.nspname, c.relname`,
    )
    const columns = await listColumnNames(client)
    const tree: SchemaTree = { schemas: schemas.rows.map((s) => ({ name: s.name, relations: [] })) }
    const byName = new Map(tree.schemas.map((s) => [s.name, s]))
    for (const r of rels.rows) {
      byName.get(r.schema)?.relations.push({
        name: r.name,
        kind: RELKINDS[r.relkind] ?? 'table',
        estimatedRows: r.relkind === 'v' ? null : estimate(r.reltuples),
        columns: columns.get(`${r.schema}.${r.name}`) ?? [],
      })
    }
    return tree
  })
}

/** Columns (type, nullability, default, PK, FK target) and indexes of one relation. */
export function describeTable(pools: TargetPools, schema: string, name: string): Promise<TableDetails> {
  return withUtil(pools, async (client) => {
    const rel = await client.query<{ oid: string; relkind: string; reltuples: string | null }>(
      `SELECT c.oid::text AS oid, c.relkind::text AS relkind, c.reltuples::text AS reltuples
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r','v','m','f','p')`,
      [schema, name],
    )
    const r = rel.rows[0]
    if (!r) throw PortholeError.of('NOT_FOUND', `No table or view ${schema}.${name}.`)
    const cols = await client.query<{
      name: string
      type: string
      notnull: boolean
      def: string | null
      pk: boolean
      ref: string | null
    }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS def,
              EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conrelid = a.attrelid AND p.contype = 'p'
                        AND a.attnum = ANY (p.conkey)) AS pk,
              (SELECT fn.nspname || '.' || fc.relname || '(' || fa.attname || ')'
                 FROM pg_constraint f
                 JOIN pg_class fc ON fc.oid = f.confrelid
                 JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                 JOIN pg_attribute fa ON fa.attrelid = f.confrelid
                                     AND fa.attnum = f.confkey[array_position(f.conkey, a.attnum)]
                WHERE f.conrelid = a.attrelid AND f.contype = 'f' AND a.attnum = ANY (f.conkey)
                LIMIT 1) AS ref
         FROM pg_attribute a
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [r.oid],
    )
    const idx = await client.query<{ name: string; def: string; unique: boolean; primary: boolean }>(
      `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS unique,
              i.indisprimary AS primary
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = $1::oid ORDER BY i.indisprimary DESC, ic.relname`,
      [r.oid],
    )
    const extra = await describeExtras(client, r.oid, r.relkind)
    return {
      ...extra,
      schema,
      name,
      kind: RELKINDS[r.relkind] ?? 'table',
      estimatedRows: r.relkind === 'v' ? null : estimate(r.reltuples),
      columns: cols.rows.map((c) => ({
        name: c.name,
        typeName: c.type,
        nullable: !c.notnull,
        default: c.def,
        primaryKey: c.pk,
        references: c.ref,
      })),
      indexes: idx.rows.map((i) => ({
        name: i.name,
        definition: i.def,
        unique: i.unique,
        primary: i.primary,
      })),
    }
  })
}

/** A page of rows, ordered by the primary key when there is one so offset paging is stable. */
export function previewTable(
  pools: TargetPools,
  schema: string,
  name: string,
  offset: number,
  limit: number,
): Promise<TablePreview> {
  return withUtil(pools, async (client) => {
    const pk = await client.query<{ col: string }>(
      `SELECT a.attname AS col
         FROM pg_constraint p
         JOIN pg_class c ON c.oid = p.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, ord) ON true
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE n.nspname = $1 AND c.relname = $2 AND p.contype = 'p'
        ORDER BY k.ord`,
      [schema, name],
    )
    const order = pk.rows.length ? ` ORDER BY ${pk.rows.map((r) => quoteIdent(r.col)).join(', ')}` : ''
    // limit + 1 tells whether another page exists without a count(*).
    const res = await client.query({
      text: `SELECT * FROM ${quoteIdent(schema)}.${quoteIdent(name)}${order} OFFSET $1 LIMIT $2`,
      values: [offset, limit + 1],
      rowMode: 'array',
      types: textTypes,
    })
    const columns = await describeColumns(pools, res.fields, client)
    const rows = (res.rows as unknown[][]).slice(0, limit).map((row) => toCells(row, columns))
    return { columns, rows, offset, hasMore: res.rows.length > limit }
  })
}
