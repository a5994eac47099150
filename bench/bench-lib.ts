// Shared bits of the benchmark scripts: tables on stdout, JSON in bench/results/, a loopback echo
// server, and percentile maths. Benchmarks print figures and ratios; they never assert times.
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url))

/** Prints rows as an aligned table and writes `{ name, date, rows, notes }` to results/<name>.json. */
export function report(
  name: string,
  rows: Array<Record<string, string | number>>,
  notes: string[] = [],
): void {
  const cols = Object.keys(rows[0] ?? {})
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(width[i]!)).join('  ')
  console.log(`\n== ${name}`)
  console.log(line(cols))
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))))
  for (const n of notes) console.log(`   note: ${n}`)
  mkdirSync(RESULTS_DIR, { recursive: true })
  writeFileSync(
    `${RESULTS_DIR}${name}.json`,
    `${JSON.stringify({ name, date: new Date().toISOString(), rows, notes }, null, 2)}\n`,
  )
}

/** The p-th percentile (0..100) of numbers. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN
}

export const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(2)
export const fixed = (n: number, d = 1) => n.toFixed(d)

/** A TCP echo server on 127.0.0.1:0. */
export async function startEcho(): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => s.pipe(s).on('error', () => {}))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  return { port: typeof address === 'object' && address ? address.port : 0, server }
}
