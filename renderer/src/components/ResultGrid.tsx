// A virtualized result grid: fixed row height, only the visible rows (plus a small overscan) are in
// the DOM, so 100k rows scroll like 100. Asks for more rows near the end while `hasMore`.
// Every cell is a React text node: database values can never become markup.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Cell, Column } from '../../../shared/ipc/models'
import { useAppContext } from '../hooks/useAppContext'
import { CellDetail } from './CellDetail'

/** Row height in px; must match `.grid-row` in grid.css. */
export const ROW_HEIGHT = 26
const OVERSCAN = 8
const FETCH_AHEAD = 200

interface Props {
  columns: Column[]
  rows: Cell[][]
  hasMore: boolean
  fetching: boolean
  onNeedMore?: () => void
  testId?: string
}

const initialWidth = (c: Column): number =>
  c.kind === 'json' ? 260 : c.kind === 'datetime' ? 220 : c.kind === 'number' || c.kind === 'bool' ? 110 : 180

/** The grid; `rows` may grow while mounted. */
export function ResultGrid({ columns, rows, hasMore, fetching, onNeedMore, testId = 'result-grid' }: Props) {
  const ctx = useAppContext()
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(400)
  const [widths, setWidths] = useState<number[]>(() => columns.map(initialWidth))
  const [sel, setSel] = useState<{ row: number; col: number } | null>(null)

  useEffect(() => setWidths(columns.map(initialWidth)), [columns])
  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const ro = new ResizeObserver(() => setViewport(el.clientHeight))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN)
  useEffect(() => {
    if (hasMore && !fetching && last + FETCH_AHEAD >= rows.length) onNeedMore?.()
  }, [hasMore, fetching, last, rows.length, onNeedMore])

  const copy = useCallback(
    async (text: string, what: string) => {
      try {
        await navigator.clipboard.writeText(text)
        ctx.ui.toast(`${what} copied`)
      } catch {
        ctx.ui.toast('Clipboard is not available', 'error')
      }
    },
    [ctx],
  )
  const selected = sel ? rows[sel.row] : undefined
  const cellText = (c: Cell): string => (c === null ? '' : c)

  const onKey = (e: React.KeyboardEvent): void => {
    if (!sel) return
    const move = (row: number, col: number): void => {
      const r = Math.max(0, Math.min(rows.length - 1, row))
      setSel({ row: r, col: Math.max(0, Math.min(columns.length - 1, col)) })
      const el = scroller.current
      if (el && (r * ROW_HEIGHT < el.scrollTop || (r + 2) * ROW_HEIGHT > el.scrollTop + el.clientHeight)) {
        el.scrollTop = Math.max(0, r * ROW_HEIGHT - el.clientHeight / 2)
      }
    }
    const step: Record<string, [number, number]> = {
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageDown: [20, 0],
      PageUp: [-20, 0],
    }
    const d = step[e.key]
    if (d) {
      e.preventDefault()
      move(sel.row + d[0], sel.col + d[1])
    } else if ((e.ctrlKey || e.metaKey) && e.key === 'c' && selected) {
      e.preventDefault()
      const text = e.shiftKey ? selected.map(cellText).join('\t') : cellText(selected[sel.col] ?? null)
      void copy(text, e.shiftKey ? 'Row' : 'Cell')
    }
  }

  const startResize = (col: number, e: React.PointerEvent): void => {
    e.preventDefault()
    e.stopPropagation()
    const x0 = e.clientX
    const w0 = widths[col] ?? 120
    const onMove = (ev: PointerEvent): void =>
      setWidths((ws) => ws.map((w, i) => (i === col ? Math.max(48, w0 + ev.clientX - x0) : w)))
    const onUp = (): void => {
      window.removeEventListener('pointermove', onMove)
      window.removeEventListener('pointerup', onUp)
    }
    window.addEventListener('pointermove', onMove)
    window.addEventListener('pointerup', onUp)
  }

  const total = widths.reduce((a, b) => a + b, 48)
  const visible = []
  for (let r = first; r < last; r++) {
    const row = rows[r]!
    visible.push(
      <div key={r} className="grid-row" data-row={r} style={{ top: r * ROW_HEIGHT, width: total }}>
        <div className="grid-cell grid-rownum">{r + 1}</div>
        {row.map((v, c) => {
          const kind = columns[c]?.kind ?? 'text'
          const active = sel?.row === r && sel.col === c
          return (
            <div
              key={columns[c]?.name ? `${c}:${columns[c].name}` : c}
              className={`grid-cell kind-${kind}${v === null ? ' is-null' : ''}${active ? ' active' : ''}`}
              style={{ width: widths[c] }}
              data-col={c}
            >
              {v === null ? 'NULL' : v.length > 500 ? `${v.slice(0, 500)}…` : v}
            </div>
          )
        })}
      </div>,
    )
  }

  return (
    <div className="grid-wrap">
      <div className="grid-toolbar">
        <span className="muted small" data-testid={`${testId}-count`} data-rows={rows.length}>
          {rows.length.toLocaleString('en-US')} row{rows.length === 1 ? '' : 's'}
          {hasMore ? ' loaded, more available' : ''}
          {fetching ? ' · fetching…' : ''}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small"
          data-testid="copy-cell"
          disabled={!selected}
          onClick={() => selected && sel && void copy(cellText(selected[sel.col] ?? null), 'Cell')}
        >
          Copy cell
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="copy-row"
          disabled={!selected}
          onClick={() => selected && void copy(selected.map(cellText).join('\t'), 'Row')}
        >
          Copy row
        </button>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a virtualized grid cannot be a <table>; it is focusable and keyboard-driven (arrows, Ctrl+C) */}
      <div
        ref={scroller}
        role="grid"
        className="grid-scroll"
        aria-label={`Result grid, ${rows.length} rows`}
        tabIndex={0}
        data-testid={testId}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKey}
        onMouseDown={(e) => {
          const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-col]')
          const row = cell?.parentElement?.dataset.row
          if (cell && row !== undefined) setSel({ row: Number(row), col: Number(cell.dataset.col) })
        }}
        onFocus={() => !sel && rows.length && setSel({ row: 0, col: 0 })}
      >
        <div className="grid-head" style={{ width: total }}>
          <div className="grid-cell grid-rownum">#</div>
          {columns.map((c, i) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: column names may repeat (select 1, 1); position is the identity
              key={`${c.name}:${i}`}
              className={`grid-cell grid-hcell kind-${c.kind}`}
              style={{ width: widths[i] }}
              title={`${c.name} (${c.typeName})`}
            >
              <span className="col-name">{c.name}</span>
              <span className="col-type">{c.typeName}</span>
              <span className="col-resize" aria-hidden="true" onPointerDown={(e) => startResize(i, e)} />
            </div>
          ))}
        </div>
        <div className="grid-body" style={{ height: rows.length * ROW_HEIGHT, width: total }}>
          {visible}
        </div>
      </div>
      {selected && sel ? <CellDetail column={columns[sel.col]} value={selected[sel.col] ?? null} /> : null}
    </div>
  )
}
