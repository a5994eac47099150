// The session-pool matrix of bench/tunnel-throughput.ts: 8 parallel streams, download-heavy,
// upload-heavy and mixed, over pools of 1, 2, 4 and 8 sessions, each compared with one session.
// The simulator runs in a child process (bench/sim-child.ts) so it does not share our JS thread.
// Bytes are counted where they land (upload: the destination behind the agent; download: here),
// each case moves the same bytes PER SESSION so every pool runs for seconds, and the ratio uses the
// steady rate after the first second: within it a session may burst up to its window of ~1000
// messages (steady-rate.ts), which once made a 2 MB upload over 4 sessions look like 18 MB/s.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { createInterface, type Interface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createSsmSessionApi } from '../electron/aws/ssm-api'
import { silentLogger } from '../electron/base/logger'
import { Tunnel } from '../electron/tunnel/tunnel'
import { testTarget } from '../tests/fixtures/test-target'
import { type Arrival, ratesFrom } from './steady-rate'

interface ChildInfo {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  instanceId: string
}

type Kind = 'download' | 'upload'
const CASES: Array<{ name: string; kinds: Kind[] }> = [
  { name: 'download-heavy', kinds: Array(8).fill('download') },
  { name: 'upload-heavy', kinds: Array(8).fill('upload') },
  { name: 'mixed', kinds: [...Array(4).fill('download'), ...Array(4).fill('upload')] },
]
const POOLS = [1, 2, 4, 8]
/** BENCH_POOL_CASES=mixed,upload-heavy and BENCH_POOLS=1,8 run part of the matrix. */
const pick = (env: string, name: string) => !process.env[env] || process.env[env]!.split(',').includes(name)

/** One stream: "D n" reads n bytes back; "U n" sends n bytes and waits for the sink's "k". */
function transfer(port: number, kind: Kind, bytes: Buffer, downloads: Arrival[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(`${kind === 'download' ? 'D' : 'U'} ${bytes.length}\n`)
      if (kind === 'upload') s.write(bytes)
    })
    let got = 0
    s.on('data', (d: Buffer) => {
      got += d.length
      if (kind === 'download') downloads.push({ at: Date.now(), bytes: d.length })
      if ((kind === 'upload' && got >= 1) || (kind === 'download' && got >= bytes.length)) {
        s.destroy()
        resolve()
      }
    })
    s.on('error', reject)
    s.on('close', () => reject(new Error(`${kind} stream closed after ${got} bytes`)))
  })
}

async function startChild(): Promise<{ child: ChildProcess; info: ChildInfo; lines: Interface }> {
  const script = fileURLToPath(new URL('./sim-child.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`simulator child exited (${code})`)))
  })
  return { child, info: JSON.parse(first) as ChildInfo, lines }
}

interface Counters {
  rateViolations: number
  peakMessagesPerSecond: number
  /** Input data messages per session, as the service counted them. */
  messagesIn: number[]
  /** Upload bytes as the destination received them: [epoch ms, bytes]. */
  arrivals: Array<[number, number]>
}

/** Runs every case at every pool size; returns table rows with ratios against one session. */
export async function runPoolMatrix(
  bytesPerSession: number,
): Promise<Array<Record<string, string | number>>> {
  const { child, info, lines } = await startChild()
  const ask = (ids: string[]) =>
    new Promise<Counters>((resolve) => {
      lines.once('line', (l) => resolve(JSON.parse(l)))
      child.stdin!.write(`${JSON.stringify(ids)}\n`)
    })
  const api = createSsmSessionApi({
    region: info.region,
    endpoint: info.endpoint,
    credentials: async () => info.credentials,
  })
  const rows: Array<Record<string, string | number>> = []
  try {
    for (const c of CASES.filter((x) => pick('BENCH_POOL_CASES', x.name))) {
      let base = 0
      for (const sessionPool of POOLS.filter((p) => pick('BENCH_POOLS', String(p)))) {
        const target = testTarget({
          region: info.region,
          instanceId: info.instanceId,
          rdsHost: 'bench.internal',
          rdsPort: 9,
          sessionPool,
        })
        const tunnel = new Tunnel(target, { api, logger: silentLogger })
        const status = await tunnel.open()
        const part = randomBytes(Math.floor((bytesPerSession * sessionPool) / c.kinds.length))
        const downloads: Arrival[] = []
        const t0 = Date.now()
        await Promise.all(c.kinds.map((k) => transfer(status.localPort!, k, part, downloads)))
        const counters = await ask(tunnel.status().sessionIds)
        const resent = tunnel.sessions.reduce((n, l) => n + l.channel.stats.resent, 0)
        await tunnel.close()
        const uploads = counters.arrivals.map(([at, bytes]) => ({ at, bytes }))
        const uploaded = uploads.reduce((n, a) => n + a.bytes, 0)
        const expectUp = part.length * c.kinds.filter((k) => k === 'upload').length
        if (uploaded !== expectUp) throw new Error(`${c.name}: the sink got ${uploaded} of ${expectUp} bytes`)
        const r = ratesFrom([...downloads, ...uploads], t0)
        if (sessionPool === 1) base = r.steady
        rows.push({
          case: c.name,
          pool: sessionPool,
          MB: (r.bytes / 1e6).toFixed(1),
          ms: r.ms,
          'MB/s whole': r.whole.toFixed(2),
          'MB/s steady': r.steady.toFixed(2),
          '× one session (steady)': `${(r.steady / base).toFixed(2)}×`,
          'peak msg/s/session': counters.peakMessagesPerSecond,
          'data msgs in/session': counters.messagesIn.join(' '),
          resent,
          violations: counters.rateViolations,
        })
      }
    }
  } finally {
    api.destroy()
    child.stdin!.write('quit\n')
    await new Promise((r) => child.once('exit', r))
  }
  return rows
}
