// Benchmark-only renderer entry: the real ResultGrid over N generated rows (no engine), plus the
// in-page measurement bench/grid-scroll.ts calls: frame time while jumping through the result,
// and whether every drawn row sits exactly where its index says (no gaps, no overlaps, the last
// row reachable). `?rows=1000000&maxpx=…` (maxpx huge = the grid without scaling, as before).
import { createRoot } from 'react-dom/client'
import { AppContext } from '../../renderer/src/app-context'
import { ResultGrid, ROW_HEIGHT } from '../../renderer/src/components/ResultGrid'
import { AppContextReact } from '../../renderer/src/hooks/useAppContext'
import type { Cell, Column } from '../../shared/ipc/models'
import { createFakeApi } from '../../tests/fixtures/fake-api/fake-api'
import '../../renderer/src/styles/theme.css'
import '../../renderer/src/styles/shell.css'
import '../../renderer/src/styles/grid.css'

const params = new URLSearchParams(location.search)
const count = Number(params.get('rows') ?? 1_000_000)
const maxpx = params.has('maxpx') ? Number(params.get('maxpx')) : undefined
const columns: Column[] = [
  { name: 'n', typeName: 'int4', kind: 'number' },
  { name: 'label', typeName: 'text', kind: 'text' },
  { name: 'hash', typeName: 'text', kind: 'text' },
  { name: 'at', typeName: 'timestamptz', kind: 'datetime' },
  { name: 'doc', typeName: 'jsonb', kind: 'json' },
]
const rows: Cell[][] = new Array(count)
for (let i = 0; i < count; i++)
  rows[i] = [
    String(i + 1),
    `row ${i + 1}`,
    (i * 2654435761).toString(16),
    '2026-11-24 10:00:00+00',
    `{"n": ${i}}`,
  ]

const frame = () => new Promise<number>((r) => requestAnimationFrame(r))

interface Sample {
  ms: number
  ok: boolean
  problem?: string
}

/** Jumps to `top`, waits for two frames, and checks the drawn rows against the expected indices. */
async function sample(el: HTMLElement, top: number): Promise<Sample> {
  const t0 = performance.now()
  el.scrollTop = top
  await frame()
  await frame()
  const ms = performance.now() - t0
  const head = el.querySelector('.grid-head')!.getBoundingClientRect().bottom
  const bottom = el.getBoundingClientRect().top + el.clientHeight
  const drawn = [...el.querySelectorAll<HTMLElement>('.grid-row')]
    .map((r) => ({ i: Number(r.dataset.row), top: r.getBoundingClientRect().top }))
    .sort((a, b) => a.i - b.i)
  const maxTop = el.scrollHeight - el.clientHeight
  const fraction = maxTop > 0 ? el.scrollTop / maxTop : 0
  // The row that must sit at the top edge when the whole list is mapped onto the scrollbar.
  const expectedFirst = Math.floor((fraction * (count * ROW_HEIGHT - (bottom - head))) / ROW_HEIGHT)
  for (let k = 1; k < drawn.length; k++) {
    const d = drawn[k]!.top - drawn[k - 1]!.top
    if (drawn[k]!.i !== drawn[k - 1]!.i + 1 || Math.abs(d - ROW_HEIGHT) > 0.5)
      return { ms, ok: false, problem: `rows ${drawn[k - 1]!.i}/${drawn[k]!.i} are ${d.toFixed(1)} px apart` }
  }
  const covering = drawn.filter((r) => r.top + ROW_HEIGHT > head + 0.5 && r.top < bottom - 0.5)
  if (!covering.length) return { ms, ok: false, problem: `nothing drawn at scrollTop ${el.scrollTop}` }
  if (covering[0]!.top > head + 0.5)
    return { ms, ok: false, problem: `gap of ${(covering[0]!.top - head).toFixed(0)} px under the header` }
  const end = covering.at(-1)!
  if (end.top + ROW_HEIGHT < bottom - 0.5 && end.i < count - 1)
    return { ms, ok: false, problem: `gap of ${(bottom - end.top - ROW_HEIGHT).toFixed(0)} px at the bottom` }
  if (Math.abs(covering[0]!.i - expectedFirst) > 1)
    return { ms, ok: false, problem: `row ${covering[0]!.i} at the top, expected ${expectedFirst}` }
  return { ms, ok: true }
}

/** Runs the sweep: `steps` evenly spaced jumps, then the very end. */
async function run(steps: number) {
  const el = document.querySelector<HTMLElement>('[data-testid="result-grid"]')!
  const samples: Sample[] = []
  const maxTop = el.scrollHeight - el.clientHeight
  for (let k = 0; k <= steps; k++) samples.push(await sample(el, Math.round((k / steps) * maxTop)))
  el.scrollTop = maxTop
  await frame()
  await frame()
  const lastDrawn = Math.max(
    ...[...el.querySelectorAll<HTMLElement>('.grid-row')].map((r) => Number(r.dataset.row)),
  )
  const problems = samples.filter((s) => !s.ok).map((s) => s.problem)
  return {
    scrollHeight: el.scrollHeight,
    frameMs: samples.map((s) => s.ms),
    wrong: problems.length,
    firstProblem: problems[0] ?? null,
    lastRowReached: lastDrawn === count - 1,
    lastDrawn,
    domRows: el.querySelectorAll('.grid-row').length,
  }
}

Object.assign(window, { __gridBench: run })
const t0 = performance.now()
createRoot(document.getElementById('root')!).render(
  <AppContextReact.Provider value={new AppContext(createFakeApi())}>
    <div style={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      <ResultGrid columns={columns} rows={rows} hasMore={false} fetching={false} maxScrollPx={maxpx} />
    </div>
  </AppContextReact.Provider>,
)
requestAnimationFrame(() => Object.assign(window, { __gridMountMs: performance.now() - t0 }))
