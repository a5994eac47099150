// PostgreSQL's EXPLAIN (FORMAT JSON) output turned into a tree the console draws: per node its
// kind, what it reads, estimated and actual rows, loops, inclusive and self time. Pure, tested.

export interface PlanNode {
  /** e.g. "Hash Join", "Index Scan using orders_pkey on orders o" */
  label: string
  nodeType: string
  estimatedRows: number
  totalCost: number
  /** Actual rows over all loops (ANALYZE only). */
  actualRows: number | null
  loops: number | null
  /** Time spent in this node and below, all loops, ms (ANALYZE only). */
  totalMs: number | null
  /** Time spent in this node alone, ms (ANALYZE only). */
  selfMs: number | null
  /** Extra facts worth a glance: filter, index condition, rows removed, sort method. */
  details: string[]
  children: PlanNode[]
}

export interface ExplainedPlan {
  root: PlanNode
  planningMs: number | null
  executionMs: number | null
  analyzed: boolean
}

type Raw = Record<string, unknown>
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)

function labelOf(p: Raw): string {
  let label = String(p['Node Type'] ?? '?')
  // UPDATE/INSERT/DELETE/MERGE all come back as "ModifyTable"; say which.
  const op = str(p.Operation)
  if (label === 'ModifyTable' && op) label = op
  const join = str(p['Join Type'])
  if (join && /Join|Loop/.test(label) && join !== 'Inner') label = `${label} (${join})`
  const index = str(p['Index Name'])
  if (index) label += ` using ${index}`
  const rel = str(p['Relation Name'])
  if (rel) {
    const alias = str(p.Alias)
    label += ` on ${rel}${alias && alias !== rel ? ` ${alias}` : ''}`
  } else if (str(p['CTE Name'])) label += ` ${String(p['CTE Name'])}`
  return label
}

function detailsOf(p: Raw): string[] {
  const out: string[] = []
  for (const key of ['Index Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Filter', 'Recheck Cond']) {
    const v = str(p[key])
    if (v) out.push(`${key}: ${v}`)
  }
  const removed = num(p['Rows Removed by Filter'])
  if (removed) out.push(`Rows removed by filter: ${removed.toLocaleString('en-US')}`)
  const keys = p['Sort Key']
  if (Array.isArray(keys)) out.push(`Sort key: ${keys.join(', ')}`)
  const method = str(p['Sort Method'])
  if (method)
    out.push(`Sort method: ${method}${num(p['Sort Space Used']) ? `, ${p['Sort Space Used']} kB` : ''}`)
  return out
}

function toNode(p: Raw): PlanNode {
  const children = Array.isArray(p.Plans) ? (p.Plans as Raw[]).map(toNode) : []
  const loops = num(p['Actual Loops'])
  const perLoopMs = num(p['Actual Total Time'])
  const perLoopRows = num(p['Actual Rows'])
  // Actual figures are per loop; the tree shows what the node cost in total.
  const totalMs = perLoopMs !== null && loops !== null ? perLoopMs * loops : null
  const childMs = children.reduce((n, c) => n + (c.totalMs ?? 0), 0)
  return {
    label: labelOf(p),
    nodeType: String(p['Node Type'] ?? '?'),
    estimatedRows: num(p['Plan Rows']) ?? 0,
    totalCost: num(p['Total Cost']) ?? 0,
    actualRows: perLoopRows !== null && loops !== null ? perLoopRows * loops : null,
    loops,
    totalMs,
    selfMs: totalMs === null ? null : Math.max(0, totalMs - childMs),
    details: detailsOf(p),
    children,
  }
}

/** Parses the single `QUERY PLAN` cell of EXPLAIN (FORMAT JSON); throws with a reason if it is not one. */
export function parsePlan(text: string): ExplainedPlan {
  const parsed: unknown = JSON.parse(text)
  const top = (Array.isArray(parsed) ? parsed[0] : parsed) as Raw | undefined
  if (!top || typeof top !== 'object' || typeof top.Plan !== 'object' || top.Plan === null)
    throw new Error('The result is not an EXPLAIN (FORMAT JSON) plan.')
  const root = toNode(top.Plan as Raw)
  return {
    root,
    planningMs: num(top['Planning Time']),
    executionMs: num(top['Execution Time']),
    analyzed: root.totalMs !== null,
  }
}

/** The EXPLAIN statement for one statement (a trailing `;` dropped). */
export function explainSql(statement: string, analyze: boolean): string {
  const body = statement.trim().replace(/;\s*$/, '')
  const options = analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'FORMAT JSON'
  return `EXPLAIN (${options}) ${body}`
}
