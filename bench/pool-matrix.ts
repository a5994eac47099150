// The session-pool matrix of bench/tunnel-throughput.ts: 8 parallel streams, download-heavy,
// upload-heavy and mixed, over pools of 1, 2, 4 and 8 sessions, each compared with one session.
// The simulator runs in a child process (bench/sim-child.ts) so it does not share our JS thread.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { createInterface, type Interface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createSsmSessionApi } from '../electron/aws/ssm-api'
import { silentLogger } from '../electron/base/logger'
import { Tunnel } from '../electron/tunnel/tunnel'
import { testTarget } from '../tests/fixtures/test-target'
import { mbps } from './bench-lib'

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

/** One stream: "D n" reads n bytes back; "U n" sends n bytes and waits for the sink's "k". */
function transfer(port: number, kind: Kind, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(`${kind === 'download' ? 'D' : 'U'} ${bytes.length}\n`)
      if (kind === 'upload') s.write(bytes)
    })
    let got = 0
    s.on('data', (d: Buffer) => {
      got += d.length
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

/** Runs every case at every pool size; returns table rows with ratios against one session. */
export async function runPoolMatrix(totalBytes: number): Promise<Array<Record<string, string | number>>> {
  const { child, info, lines } = await startChild()
  const ask = (ids: string[]) =>
    new Promise<{ rateViolations: number; peakMessagesPerSecond: number }>((resolve) => {
      lines.once('line', (l) => resolve(JSON.parse(l)))
      child.stdin!.write(`${JSON.stringify(ids)}\n`)
    })
  const api = createSsmSessionApi({
    region: info.region,
    endpoint: info.endpoint,
    credentials: async () => info.credentials,
  })
  const part = randomBytes(Math.floor(totalBytes / 8))
  const rows: Array<Record<string, string | number>> = []
  try {
    for (const c of CASES) {
      let base = 0
      for (const sessionPool of POOLS) {
        const target = testTarget({
          region: info.region,
          instanceId: info.instanceId,
          rdsHost: 'bench.internal',
          rdsPort: 9,
          sessionPool,
        })
        const tunnel = new Tunnel(target, { api, logger: silentLogger })
        const status = await tunnel.open()
        const t0 = performance.now()
        await Promise.all(c.kinds.map((k) => transfer(status.localPort!, k, part)))
        const ms = performance.now() - t0
        const rate = Number(mbps(part.length * 8, ms))
        if (sessionPool === 1) base = rate
        const counters = await ask(tunnel.status().sessionIds)
        await tunnel.close()
        rows.push({
          case: c.name,
          pool: sessionPool,
          ms: Math.round(ms),
          'MB/s': rate.toFixed(2),
          '× one session': `${(rate / base).toFixed(2)}×`,
          'peak msg/s': counters.peakMessagesPerSecond,
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
