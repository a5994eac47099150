// The simulator in its own process for throughput benchmarks: in the client's process it would
// compete for the one JS thread and understate what a session pool achieves. It also hosts the
// bench destination `bench.internal:9` and answers counter queries on stdin, one JSON line each.
//   destination protocol: the client sends "D <n>\n" to receive n bytes, or "U <n>\n" then n bytes,
//   answered with "k" once all arrived (SSM forwarding has no half-close to mark the end).
import { randomBytes } from 'node:crypto'
import { createServer, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { startSimulator } from '../sim/index'

const CHUNK = randomBytes(64 * 1024)
/** Upload bytes as the destination received them ([epoch ms, bytes]), handed over and cleared per query. */
let arrivals: Array<[number, number]> = []
function arrived(bytes: number): void {
  const now = Date.now()
  const last = arrivals.at(-1)
  if (last && last[0] === now) last[1] += bytes
  else arrivals.push([now, bytes])
}

function serve(socket: Socket): void {
  let header = Buffer.alloc(0)
  let uploadLeft = -1
  socket.on('error', () => {})
  socket.on('data', (chunk: Buffer) => {
    if (uploadLeft >= 0) {
      arrived(chunk.length)
      uploadLeft -= chunk.length
      if (uploadLeft <= 0) socket.write('k')
      return
    }
    header = Buffer.concat([header, chunk])
    const nl = header.indexOf(10)
    if (nl < 0) return
    const [kind, count] = header.subarray(0, nl).toString().split(' ')
    const n = Number(count)
    const rest = header.subarray(nl + 1)
    if (kind === 'U') {
      if (rest.length) arrived(rest.length)
      uploadLeft = n - rest.length
      if (uploadLeft <= 0) socket.write('k')
      return
    }
    let left = n
    const pump = () => {
      while (left > 0) {
        const part = CHUNK.subarray(0, Math.min(left, CHUNK.length))
        left -= part.length
        if (!socket.write(part)) return void socket.once('drain', pump)
      }
    }
    pump()
  })
}

const dest = createServer(serve)
await new Promise<void>((r) => dest.listen(0, '127.0.0.1', r))
const destPort = (dest.address() as { port: number }).port
// SIM_ONE_WAY_LATENCY_MS adds that latency to every data-channel frame (connect-latency.ts).
const sim = await startSimulator({
  extraRoutes: [{ host: 'bench.internal', port: 9, to: { host: '127.0.0.1', port: destPort } }],
  agent: { oneWayLatencyMs: Number(process.env.SIM_ONE_WAY_LATENCY_MS ?? 0) },
})
const db = sim.databases[0]
process.stdout.write(
  `${JSON.stringify({
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: sim.credentials,
    instanceId: sim.instances[0]?.instanceId,
    caFile: sim.caFile,
    database: db && { rdsHost: db.rdsHost, rdsPort: db.rdsPort, database: db.database, dbUser: db.dbUser },
  })}\n`,
)
// Each stdin line is a JSON array of session ids; the answer sums their rate-cap counters, lists
// each one's input data messages, and hands over (and clears) the upload arrivals at the destination.
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'quit') break
  const ids = JSON.parse(line) as string[]
  let rateViolations = 0
  let peakMessagesPerSecond = 0
  const messagesIn: number[] = []
  for (const id of ids) {
    const c = sim.agent.sessionInfo(id)
    rateViolations += c?.rateViolations ?? 0
    peakMessagesPerSecond = Math.max(peakMessagesPerSecond, c?.peakMessagesPerSecond ?? 0)
    messagesIn.push(c?.messagesIn ?? 0)
  }
  process.stdout.write(`${JSON.stringify({ rateViolations, peakMessagesPerSecond, messagesIn, arrivals })}\n`)
  arrivals = []
}
await sim.close()
dest.close()
process.exit(0)
