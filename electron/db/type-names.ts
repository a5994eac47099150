// Column descriptions for a result: the display kind from the OID, the name from pg_type (cached per
// pool, looked up on the util pool since the query client may be busy with an open cursor).
import type pg from 'pg'
import type { Column } from '../../shared/ipc/models'
import { kindOfType, PG_TYPES } from './display'
import type { TargetPools } from './pool-registry'

/** Minimal field shape shared by pg results and pg-cursor results. */
export interface FieldLike {
  name: string
  dataTypeID: number
}

/** Builds `Column`s for `fields`, resolving unknown type names once per pool (on `idleClient` if given). */
export async function describeColumns(
  pools: TargetPools,
  fields: FieldLike[],
  idleClient?: pg.PoolClient,
): Promise<Column[]> {
  const missing = [
    ...new Set(fields.map((f) => f.dataTypeID).filter((oid) => !PG_TYPES[oid] && !pools.typeNames.has(oid))),
  ]
  if (missing.length) {
    const client = idleClient ?? (await pools.connect('util'))
    try {
      const res = await client.query<{ oid: string; name: string }>(
        'SELECT oid::text AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])',
        [missing],
      )
      for (const row of res.rows) pools.typeNames.set(Number(row.oid), row.name)
    } finally {
      if (!idleClient) client.release()
    }
  }
  return fields.map((f) => ({
    name: f.name,
    typeName: PG_TYPES[f.dataTypeID]?.name ?? pools.typeNames.get(f.dataTypeID) ?? String(f.dataTypeID),
    kind: kindOfType(f.dataTypeID),
  }))
}
