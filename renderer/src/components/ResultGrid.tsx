// A virtualized result grid: fixed row height, only the visible rows (plus a small overscan) are in
// the DOM, and past MAX_SCROLL_PX the scroll space is scaled (grid-model.ts) so a million rows draw
// without gaps. Sort and filter work on the rows already fetched, and say so. A rectangle of cells
// is selected with the mouse (Shift+click) or keys and copied as TSV/CSV. Asks for more rows near
// the end while `hasMore`. Every cell is a React text node: database values never become markup.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Cell, Column } from '../../../shared/ipc/models'
import { useAppContext } from '../hooks/useAppContext'
import { CellDetail } from './CellDetail'
import { GridToolbar } from './GridToolbar'
import { type SortSpec, scrollGeometry, scrollTopFor, toDelimited, viewOrder, virtualTop } from './grid-model'

/** Row height in px; must match `.grid-row` in grid.css. */
export const ROW_HEIGHT = 26
const HEAD_HEIGHT = 34
const OVERSCAN = 8
const FETCH_AHEAD = 200

interface Props {
  columns: Column[]
  rows: Cell[][]
  hasMore: boolean
  fetching: boolean
  onNeedMore?: () => void
  testId?: string
  /** Scroll space cap; only the grid benchmark changes it (to measure the unscaled grid). */
  maxScrollPx?: number
}

interface Pos {
  row: number
  col: number
}

const initialWidth = (c: Column): number =>
  c.kind === 'json' ? 260 : c.kind === 'datetime' ? 220 : c.kind === 'number' || c.kind === 'bool' ? 110 : 180

/** The grid; `rows` may grow while mounted. Row positions in `sel` are positions in the view. */
export function ResultGrid({
  columns,
  rows,
  hasMore,
  fetching,
  onNeedMore,
  testId = 'result-grid',
  maxScrollPx,
}: Props) {
  const ctx = useAppContext()
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(400)
  const [widths, setWidths] = useState<number[]>(() => columns.map(initialWidth))
  const [anchor, setAnchor] = useState<Pos | null>(null)
  const [focus, setFocus] = useState<Pos | null>(null)
  const [sort, setSort] = useState<SortSpec | null>(null)
  const [filter, setFilter] = useState('')

  useEffect(() => setWidths(columns.map(initialWidth)), [columns])
  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const ro = new ResizeObserver(() => setViewport(Math.max(ROW_HEIGHT, el.clientHeight - HEAD_HEIGHT)))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const order = useMemo(() => viewOrder(rows, columns, sort, filter), [rows, columns, sort, filter])
  const count = order ? order.length : rows.length
  const rowAt = (v: number): Cell[] | undefined => rows[order ? order[v]! : v]
  const clientView = order !== null
  const g = scrollGeometry(count, ROW_HEIGHT, viewport, maxScrollPx)
  const vTop = virtualTop(scrollTop, g)
  const first = Math.max(0, Math.floor(vTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(count, Math.ceil((vTop + viewport) / ROW_HEIGHT) + OVERSCAN)

  // A client-side view works on what is loaded; fetching more under it would reshuffle the rows.
  useEffect(() => {
    if (!clientView && hasMore && !fetching && last + FETCH_AHEAD >= rows.length) onNeedMore?.()
  }, [clientView, hasMore, fetching, last, rows.length, onNeedMore])

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

  const range = anchor && focus ? rect(anchor, focus) : null
  const copyRange = (delimiter: '\t' | ',', header: boolean): void => {
    if (!range) return
    const picked: Cell[][] = []
    for (let r = range.r0; r <= range.r1; r++) picked.push(rowAt(r) ?? [])
    const n = picked.length * (range.c1 - range.c0 + 1)
    const text = toDelimited(picked, columns, range.c0, range.c1, { delimiter, header })
    void copy(text, n === 1 && !header ? 'Cell' : `${picked.length.toLocaleString('en-US')} rows`)
  }

  const reveal = (row: number): void => {
    const el = scroller.current
    if (!el) return
    const top = row * ROW_HEIGHT
    if (top < vTop || top + ROW_HEIGHT > vTop + viewport)
      el.scrollTop = scrollTopFor(
        Math.max(0, top - viewport / 2),
        scrollGeometry(count, ROW_HEIGHT, viewport),
      )
  }
  const moveTo = (row: number, col: number, extend: boolean): void => {
    const p = { row: clamp(row, 0, count - 1), col: clamp(col, 0, columns.length - 1) }
    setFocus(p)
    if (!extend || !anchor) setAnchor(p)
    reveal(p.row)
  }

  const onKey = (e: React.KeyboardEvent): void => {
    const mod = e.ctrlKey || e.metaKey
    if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault()
      setAnchor({ row: 0, col: 0 })
      setFocus({ row: count - 1, col: columns.length - 1 })
      return
    }
    if (mod && e.key.toLowerCase() === 'c') {
      e.preventDefault()
      copyRange('\t', false)
      return
    }
    if (!focus || count === 0) return
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1)
    const { row, col } = focus
    const target: Record<string, Pos> = {
      ArrowDown: { row: row + 1, col },
      ArrowUp: { row: row - 1, col },
      ArrowLeft: { row, col: col - 1 },
      ArrowRight: { row, col: col + 1 },
      PageDown: { row: row + page, col },
      PageUp: { row: row - page, col },
      // End/Home move the selection along the row; with Ctrl/Cmd to the last/first row too.
      End: { row: mod ? count - 1 : row, col: columns.length - 1 },
      Home: { row: mod ? 0 : row, col: 0 },
    }
    const to = target[e.key]
    if (!to) return
    e.preventDefault()
    moveTo(to.row, to.col, e.shiftKey)
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
  const cycleSort = (col: number): void => {
    setSort((s) => (s?.col !== col ? { col, dir: 'asc' } : s.dir === 'asc' ? { col, dir: 'desc' } : null))
    setAnchor(null)
    setFocus(null)
  }

  // Row numbers are never cut: the column widens with the digits of the largest number.
  const numWidth = `calc(${String(Math.max(count, 1)).length + 1}ch + 16px)`
  const total = widths.reduce((a, b) => a + b, 0)
  const visible = []
  for (let r = first; r < last; r++) {
    const row = rowAt(r)
    if (!row) continue
    const source = order ? order[r]! : r
    visible.push(
      <div
        key={r}
        className="grid-row"
        data-row={r}
        style={{ top: scrollTop + r * ROW_HEIGHT - vTop, width: `calc(${total}px + ${numWidth})` }}
      >
        <div className="grid-cell grid-rownum" style={{ width: numWidth }}>
          {source + 1}
        </div>
        {row.map((v, c) => {
          const kind = columns[c]?.kind ?? 'text'
          const inRange = range && r >= range.r0 && r <= range.r1 && c >= range.c0 && c <= range.c1
          const active = focus?.row === r && focus.col === c
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
              key={c}
              className={`grid-cell kind-${kind}${v === null ? ' is-null' : ''}${active ? ' active' : inRange ? ' in-range' : ''}`}
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

  const focused = focus ? rowAt(focus.row) : undefined
  return (
    <div className="grid-wrap">
      <GridToolbar
        testId={testId}
        loaded={rows.length}
        shown={count}
        hasMore={hasMore}
        fetching={fetching}
        clientView={clientView}
        sort={sort ? `${columns[sort.col]?.name ?? ''} ${sort.dir}` : null}
        filter={filter}
        onFilter={(f) => {
          setFilter(f)
          setAnchor(null)
          setFocus(null)
        }}
        canCopy={range !== null}
        onCopy={(delimiter) => copyRange(delimiter, true)}
      />
      {/* biome-ignore lint/a11y/useSemanticElements: a virtualized grid cannot be a <table>; it is focusable and keyboard-driven */}
      <div
        ref={scroller}
        role="grid"
        className="grid-scroll"
        aria-label={`Result grid, ${count} rows`}
        aria-rowcount={count}
        tabIndex={0}
        data-testid={testId}
        data-scaled={g.ratio > 1 ? 'true' : 'false'}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKey}
        onMouseDown={(e) => {
          const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-col]')
          const row = cell?.parentElement?.dataset.row
          // Shift+click extends the cell selection; without preventDefault it also selects page text.
          if (e.shiftKey) e.preventDefault()
          if (cell && row !== undefined) moveTo(Number(row), Number(cell.dataset.col), e.shiftKey)
        }}
        onFocus={() => !focus && count && moveTo(0, 0, false)}
      >
        <div className="grid-head" style={{ width: `calc(${total}px + ${numWidth})` }}>
          <div className="grid-cell grid-rownum" style={{ width: numWidth }}>
            #
          </div>
          {columns.map((c, i) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: column names may repeat (select 1, 1); position is the identity
              key={`${c.name}:${i}`}
              className={`grid-cell grid-hcell kind-${c.kind}`}
              style={{ width: widths[i] }}
            >
              <button
                type="button"
                className="col-sort"
                data-testid="grid-header"
                data-sort={sort?.col === i ? sort.dir : undefined}
                title={`${c.name} (${c.typeName}): click to sort the loaded rows`}
                onClick={() => cycleSort(i)}
              >
                <span className="col-name">
                  {c.name}
                  {sort?.col === i ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </span>
                <span className="col-type">{c.typeName}</span>
              </button>
              <span className="col-resize" aria-hidden="true" onPointerDown={(e) => startResize(i, e)} />
            </div>
          ))}
        </div>
        <div className="grid-body" style={{ height: g.bodyHeight, width: `calc(${total}px + ${numWidth})` }}>
          {visible}
        </div>
      </div>
      {focused && focus ? (
        <CellDetail column={columns[focus.col]} value={focused[focus.col] ?? null} />
      ) : null}
    </div>
  )
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n))
}

function rect(a: Pos, b: Pos): { r0: number; r1: number; c0: number; c1: number } {
  return {
    r0: Math.min(a.row, b.row),
    r1: Math.max(a.row, b.row),
    c0: Math.min(a.col, b.col),
    c1: Math.max(a.col, b.col),
  }
}
