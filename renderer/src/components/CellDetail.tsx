// The selected cell in full: NULL shown as such, JSON pretty-printed, always as plain text.
import type { Cell, Column } from '../../../shared/ipc/models'

function pretty(value: string, kind: Column['kind'] | undefined): string {
  if (kind !== 'json') return value
  try {
    return JSON.stringify(JSON.parse(value), null, 2)
  } catch {
    return value
  }
}

/** Detail strip below the grid for the selected cell. */
export function CellDetail({ column, value }: { column: Column | undefined; value: Cell }) {
  return (
    <div className="cell-detail" data-testid="cell-detail">
      <div className="muted small">
        {column?.name} <span className="col-type">{column?.typeName}</span>
      </div>
      {value === null ? <span className="null-text">NULL</span> : <pre>{pretty(value, column?.kind)}</pre>}
    </div>
  )
}
