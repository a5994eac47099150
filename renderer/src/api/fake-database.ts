// The fake database behind the in-memory API: a few relations whose rows are generated from the
// row index, so a 100k-row table costs nothing until a page of it is read. Includes hostile text
// (markup in cells and names) so the UI's "everything is text" rule is exercised on every screen.
import type { Cell, Column, TableDetails } from '../../../shared/ipc/models'

type Kind = Column['kind']
type RelationKind = TableDetails['kind']

/** One fake column: display metadata plus the keys the table browser shows. */
export interface FakeColumn {
  name: string
  typeName: string
  kind: Kind
  nullable: boolean
  primaryKey: boolean
  references: string | null
  default: string | null
}

/** One fake relation; `cell` computes any cell of any row on demand. */
export interface FakeRelation {
  schema: string
  name: string
  kind: RelationKind
  rows: number
  columns: FakeColumn[]
  cell(row: number, col: number): Cell
}

/** Hostile strings a database may legitimately hold; they must render as text. */
export const HOSTILE_TEXT = [
  '<img src=x onerror="document.title=\'pwned\'">',
  '<b>bold?</b> &amp; <i>italic?</i>',
  '<script>document.title="pwned"</script>',
  "Robert'); DROP TABLE students;--",
]

const COUNTRIES = ['DE', 'FR', 'US', 'JP', 'BR', 'IN', 'NZ', 'ZA']
const STATUSES = ['paid', 'shipped', 'pending', 'refunded']
const FIRST = ['Ada', 'Linus', 'Grace', 'Ken', 'Barbara', 'Edsger', 'Radia', 'Dennis', 'Frances']
const BASE_TIME = Date.UTC(2025, 0, 1)

function col(name: string, typeName: string, kind: Kind, extra: Partial<FakeColumn> = {}): FakeColumn {
  return {
    name,
    typeName,
    kind,
    nullable: true,
    primaryKey: false,
    references: null,
    default: null,
    ...extra,
  }
}

const pk = { nullable: false, primaryKey: true }
const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '+00')

function customers(): FakeRelation {
  const columns = [
    col('id', 'int4', 'number', { ...pk, default: "nextval('customers_id_seq')" }),
    col('email', 'text', 'text', { nullable: false }),
    col('name', 'text', 'text'),
    col('country', 'bpchar', 'text'),
    col('vip', 'bool', 'bool', { default: 'false' }),
    col('created_at', 'timestamptz', 'datetime', { default: 'now()' }),
    col('notes', 'text', 'text'),
  ]
  return {
    schema: 'public',
    name: 'customers',
    kind: 'table',
    rows: 1200,
    columns,
    cell(r, c) {
      const id = r + 1
      const first = FIRST[r % FIRST.length]!
      switch (c) {
        case 0:
          return String(id)
        case 1:
          return `${first.toLowerCase()}.${id}@example.com`
        case 2:
          return `${first} ${String.fromCharCode(65 + (r % 26))}.`
        case 3:
          return COUNTRIES[r % COUNTRIES.length]!
        case 4:
          return r % 7 === 0 ? 'true' : 'false'
        case 5:
          return iso(BASE_TIME + r * 3_600_000)
        default:
          return r % 3 === 0 ? null : r % 50 === 1 ? HOSTILE_TEXT[r % HOSTILE_TEXT.length]! : `note ${id}`
      }
    },
  }
}

function orders(): FakeRelation {
  const columns = [
    col('id', 'int8', 'number', { ...pk }),
    col('customer_id', 'int4', 'number', { nullable: false, references: 'public.customers(id)' }),
    col('total', 'numeric', 'number'),
    col('status', 'text', 'text', { nullable: false }),
    col('placed_at', 'timestamptz', 'datetime'),
    col('meta', 'jsonb', 'json'),
  ]
  return {
    schema: 'public',
    name: 'orders',
    kind: 'table',
    rows: 100_000,
    columns,
    cell(r, c) {
      switch (c) {
        case 0:
          return String(r + 1)
        case 1:
          return String((r * 7919) % 1200) // deterministic spread over customers
        case 2:
          return (((r * 37) % 100_000) / 100).toFixed(2)
        case 3:
          return STATUSES[r % STATUSES.length]!
        case 4:
          return iso(BASE_TIME + r * 60_000)
        default:
          return r % 5 === 0 ? null : JSON.stringify({ channel: r % 2 ? 'web' : 'app', items: (r % 4) + 1 })
      }
    },
  }
}

function view(schema: string, name: string, kind: RelationKind, rows: number, names: string[]): FakeRelation {
  return {
    schema,
    name,
    kind,
    rows,
    columns: names.map((n, i) => col(n, i === 0 ? 'int4' : 'text', i === 0 ? 'number' : 'text')),
    cell: (r, c) => (c === 0 ? String(r + 1) : `${names[c]} ${r + 1}`),
  }
}

function hostile(): FakeRelation {
  return {
    schema: 'public',
    name: 'xss_samples',
    kind: 'table',
    rows: HOSTILE_TEXT.length,
    columns: [col('id', 'int4', 'number', pk), col('label', 'text', 'text'), col('doc', 'jsonb', 'json')],
    cell: (r, c) =>
      c === 0 ? String(r + 1) : c === 1 ? HOSTILE_TEXT[r]! : JSON.stringify({ html: HOSTILE_TEXT[r] }),
  }
}

/** Builds the fake catalogue: public and audit schemas with tables, views and odd names. */
export function createFakeCatalogue(): FakeRelation[] {
  return [
    customers(),
    orders(),
    hostile(),
    view('public', 'order_totals', 'view', 1200, ['customer_id', 'order_count', 'revenue']),
    view('audit', 'events', 'partitioned_table', 50_000, ['id', 'actor', 'action']),
    view('audit', 'daily_counts', 'materialized_view', 365, ['day', 'events']),
    view('audit', '<i>odd</i> name', 'table', 3, ['id', 'value']),
  ]
}

/** Finds a relation by `schema.name`, `"quoted"` or bare name (bare means public). */
export function findRelation(catalogue: FakeRelation[], ref: string): FakeRelation | undefined {
  const clean = ref.replace(/"/g, '')
  const dot = clean.indexOf('.')
  const schema = dot >= 0 ? clean.slice(0, dot) : 'public'
  const name = dot >= 0 ? clean.slice(dot + 1) : clean
  return catalogue.find((r) => r.schema === schema && r.name.toLowerCase() === name.toLowerCase())
}

/** Display columns of a relation, as the grid receives them. */
export function displayColumns(rel: FakeRelation): Column[] {
  return rel.columns.map((c) => ({ name: c.name, typeName: c.typeName, kind: c.kind }))
}

/** Rows [from, to) of a relation. */
export function relationRows(rel: FakeRelation, from: number, to: number): Cell[][] {
  const out: Cell[][] = []
  for (let r = from; r < Math.min(to, rel.rows); r++) out.push(rel.columns.map((_, c) => rel.cell(r, c)))
  return out
}
