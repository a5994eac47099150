// Connect → first result, as a user meets it: the engine connects a saved target (StartSession,
// WebSocket, data-channel handshake; credentials and the IAM token prepared meanwhile, the first
// pooled connection opened as soon as the tunnel is up) and runs `select 1`. Median of several
// connects at 0 and 25 ms one-way latency on the data channel.
//
// The simulator runs in a child process (bench/sim-child.ts). In ours it would do on our one JS
// thread the work AWS does on its own machines (SigV4 checks, the RDS endpoint's TLS handshake and
// token validation, the database), and every millisecond of it would count as ours.
// query-latency.ts keeps the in-process figure beside the per-phase table.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createDispatcher } from '../electron/ipc/dispatcher'
import type { TargetId } from '../shared/target-schema'
import { startTestEngine } from '../tests/fixtures/test-engine'
import { fixed, percentile, report } from './bench-lib'

interface ChildInfo {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  instanceId: string
  caFile: string
  database: { rdsHost: string; rdsPort: number; database: string; dbUser: string }
}

const RUNS = Number(process.env.BENCH_CONNECTS ?? 9)

async function startChild(latencyMs: number): Promise<{ child: ChildProcess; info: ChildInfo }> {
  const script = fileURLToPath(new URL('./sim-child.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, SIM_ONE_WAY_LATENCY_MS: String(latencyMs) },
  })
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`sim-child exited (${code})`)))
  })
  return { child, info: JSON.parse(first) as ChildInfo }
}

const rows: Record<string, string>[] = []
let n = 0
for (const latency of [0, 25]) {
  const { child, info } = await startChild(latency)
  // The engine reaches the child's AWS like any AWS: a profile's keys and the endpoint override.
  const credentials = join(mkdtempSync(join(tmpdir(), 'porthole-bench-')), 'credentials')
  writeFileSync(
    credentials,
    `[bench]\naws_access_key_id = ${info.credentials.accessKeyId}\naws_secret_access_key = ${info.credentials.secretAccessKey}\n`,
    { mode: 0o600 },
  )
  const engine = await startTestEngine({ env: { AWS_SHARED_CREDENTIALS_FILE: credentials } })
  const h = engine.engine.handlers
  // Through the contract's parser, as the UI and CLI save targets (defaults filled in).
  const saved = await createDispatcher(h)('saveTarget', {
    name: `bench ${latency} ms`,
    engine: 'postgres',
    awsProfile: 'bench',
    region: info.region,
    instanceId: info.instanceId,
    rdsHost: info.database.rdsHost,
    rdsPort: info.database.rdsPort,
    database: info.database.database,
    dbUser: info.database.dbUser,
    endpointUrl: info.endpoint,
    caFile: info.caFile,
  })
  if (!saved.ok) throw new Error(saved.error.message)
  const target = saved.result as { id: TargetId }
  const once = async (): Promise<{ connect: number; total: number }> => {
    const t0 = performance.now()
    await h.connectTarget({ targetId: target.id })
    const t1 = performance.now()
    const queryId = `q_connect_${++n}`
    const r = await h.runQuery({ targetId: target.id, queryId, sql: 'select 1', pageSize: 10 })
    const t2 = performance.now()
    if (r.error) throw new Error(r.error.message)
    await h.closeQuery({ queryId })
    await h.disconnectTarget({ targetId: target.id })
    return { connect: t1 - t0, total: t2 - t0 }
  }
  await once() // warm: the database, the CA file, the credential cache of a first run
  const samples: Array<{ connect: number; total: number }> = []
  for (let i = 0; i < RUNS; i++) samples.push(await once())
  const median = (pick: (s: { connect: number; total: number }) => number) =>
    percentile(samples.map(pick), 50)
  rows.push({
    'one-way latency': `${latency} ms`,
    runs: String(RUNS),
    'connect ms (median)': fixed(median((s) => s.connect)),
    'connect→first result ms (median)': fixed(median((s) => s.total)),
    'min–max ms': `${fixed(Math.min(...samples.map((s) => s.total)))}–${fixed(Math.max(...samples.map((s) => s.total)))}`,
    goal: latency === 25 ? '≤ 300 ms' : '',
  })
  await engine.close()
  rmSync(dirname(credentials), { recursive: true, force: true })
  child.stdin?.end('quit\n')
  await new Promise((resolve) => child.once('exit', resolve))
}

report('connect-latency-child', rows, [
  'the engine connects a saved target and runs select 1; the simulator runs in a child process',
  'latency is added to every data-channel frame in both directions (the API calls have none)',
])
