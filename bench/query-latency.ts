// Connect latency (Connect → first query result, at 0 and 25 ms one-way latency in the simulated
// service) and query round trip (SELECT 1 through the tunnel vs straight to the RDS gate vs straight
// to PostgreSQL). Phases are timed from outside: connectTarget covers StartSession, the WebSocket and
// the handshake; the first query adds TLS, IAM token signing and authentication.
import pg from 'pg'
import { sessionReusingClient } from '../electron/db/pg-connect'
import { startTestEngine } from '../tests/fixtures/test-engine'
import { fixed, percentile, report } from './bench-lib'
import { timePgPhases } from './pg-phases'

const N = Number(process.env.BENCH_QUERIES ?? 300)
// Sequential queries at 25 ms one-way latency (each costs at least 50 ms).
const N25 = Number(process.env.BENCH_QUERIES_25 ?? 40)
const warmRows: Array<Record<string, string | number>> = []
const connectRows: Array<Record<string, string | number>> = []
const rttRows: Array<Record<string, string | number>> = []
const phaseRows: Array<Record<string, string | number>> = []
let qid = 0
const queryId = () => `bench-${process.pid}-${++qid}`.padEnd(8, '0')

async function timeSelects(run: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < N; i++) {
    const t = performance.now()
    await run()
    out.push(performance.now() - t)
  }
  return out
}

for (const latency of [0, 25]) {
  const te = await startTestEngine({ sim: { agent: { oneWayLatencyMs: latency } } })
  const engine = te.engine
  const h = engine.handlers
  const demo = await h.createDemoTarget(undefined)
  const sql = (text: string) =>
    h.runQuery({ targetId: demo.id, queryId: queryId(), sql: text, pageSize: 100 })
  // Warm the simulator (PGlite or PostgreSQL, CA) outside the measurement, then reconnect.
  await h.connectTarget({ targetId: demo.id })
  await sql('select 1')
  await h.disconnectTarget({ targetId: demo.id })
  const t0 = performance.now()
  const status = await h.connectTarget({ targetId: demo.id })
  const t1 = performance.now()
  await sql('select 1')
  const t2 = performance.now()
  await sql('select 1')
  const t3 = performance.now()
  connectRows.push({
    'one-way latency': `${latency} ms`,
    'connect (StartSession+WS+handshake) ms': fixed(t1 - t0),
    'first query (TLS+token+auth+query) ms': fixed(t2 - t1),
    'connect→first result ms': fixed(t2 - t0),
    'warm query ms': fixed(t3 - t2),
  })
  const sim = te.sim()
  if (sim) {
    // Phase by phase for one more fresh connection on the open tunnel (first with a new TLS
    // session, then offering the ticket the first one got, as the engine's pools do).
    const db = sim.databases[0]!
    const ssl: import('node:tls').ConnectionOptions = { ca: sim.caPem, servername: db.rdsHost }
    const engineSsl: import('node:tls').ConnectionOptions = { ca: sim.caPem, servername: db.rdsHost }
    // Plain pg waits for the server to ask for the password; the engine's client sends it early.
    const clients: Array<[string, typeof pg.Client, import('node:tls').ConnectionOptions]> = [
      ['pg', pg.Client, ssl],
      ['engine client', sessionReusingClient(engineSsl, { enabled: true }), engineSsl],
    ]
    for (const [who, Client, options] of clients)
      for (const attempt of ['fresh TLS', 'resumed TLS']) {
        const password = (
          await h.getConnectionStrings({ targetId: demo.id, withToken: true })
        ).withToken?.env.match(/PGPASSWORD='([^']+)'/)?.[1]
        const phases = await timePgPhases(
          {
            host: '127.0.0.1',
            port: status.localPort!,
            user: db.dbUser,
            database: db.database,
            ssl: options,
            password,
          },
          Client,
        )
        phaseRows.push({
          'one-way latency': `${latency} ms`,
          client: who,
          connection: attempt,
          ...phases,
          'TLS resumed': phases['TLS resumed'] ? 'yes' : 'no',
        })
      }
  }
  if (latency === 25 && sim) {
    // Issue 10: a warm query through the engine should cost what a plain client pays, one round trip.
    const db = sim.databases[0]!
    const password = (
      await h.getConnectionStrings({ targetId: demo.id, withToken: true })
    ).withToken?.env.match(/PGPASSWORD='([^']+)'/)?.[1]
    const plainClient = new pg.Client({
      host: '127.0.0.1',
      port: status.localPort!,
      user: db.dbUser,
      database: db.database,
      ssl: { ca: sim.caPem, servername: db.rdsHost },
      password,
    })
    await plainClient.connect()
    const timeN = async (run: () => Promise<unknown>) => {
      const out: number[] = []
      for (let i = 0; i < N25; i++) {
        const t = performance.now()
        await run()
        out.push(performance.now() - t)
      }
      return out
    }
    const engineSelect = async () => {
      const id = queryId()
      await h.runQuery({ targetId: demo.id, queryId: id, sql: 'select 1', pageSize: 100 })
      await h.closeQuery({ queryId: id })
    }
    // Interleave short runs of both so load changes on the machine hit them alike.
    const viaEngine: number[] = []
    const viaPlain: number[] = []
    for (let round = 0; round < 4; round++) {
      viaEngine.push(...(await timeN(engineSelect)))
      viaPlain.push(...(await timeN(() => plainClient.query('select 1'))))
    }
    await plainClient.end()
    const e = percentile(viaEngine, 50)
    const p = percentile(viaPlain, 50)
    warmRows.push(
      {
        path: 'engine runQuery (+closeQuery) through the tunnel',
        'median ms': fixed(e),
        'p90 ms': fixed(percentile(viaEngine, 90)),
      },
      {
        path: 'plain pg client through the same tunnel',
        'median ms': fixed(p),
        'p90 ms': fixed(percentile(viaPlain, 90)),
      },
    )
    console.log(`warm SELECT 1 at 25 ms one-way: engine/plain = ${fixed(e / p, 2)} (target ≤ 1.20)`)
    warmRows.push({ path: 'ratio engine / plain', 'median ms': fixed(e / p, 2), 'p90 ms': '' })
  }
  if (latency === 0 && sim) {
    const tunnel = await timeSelects(() => sql('select 1'))
    const db = sim.databases[0]!
    const caPem = sim.caPem
    const password = (
      await h.getConnectionStrings({ targetId: demo.id, withToken: true })
    ).withToken?.env.match(/PGPASSWORD='([^']+)'/)?.[1]
    const clientTo = (port: number) =>
      new pg.Client({
        host: '127.0.0.1',
        port,
        user: db.dbUser,
        database: db.database,
        ssl: { ca: caPem, servername: db.rdsHost },
        password,
      })
    const viaGate = clientTo(db.gatePort)
    await viaGate.connect()
    const gate = await timeSelects(() => viaGate.query('select 1'))
    await viaGate.end()
    // The same plain client through the tunnel's local port: tunnel cost without engine overhead.
    const viaTunnel = clientTo(status.localPort!)
    await viaTunnel.connect()
    const plain = await timeSelects(() => viaTunnel.query('select 1'))
    await viaTunnel.end()
    const rows = [
      ['engine runQuery through the tunnel', tunnel],
      ['pg client through the tunnel', plain],
      ['pg client straight to the RDS gate', gate],
    ] as Array<[string, number[]]>
    if (db.upstreamKind === 'postgres') {
      const direct = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' })
      await direct.connect()
      rows.push(['pg client straight to PostgreSQL', await timeSelects(() => direct.query('select 1'))])
      await direct.end()
    }
    const base = percentile(rows.at(-1)![1], 50)
    for (const [name, t] of rows)
      rttRows.push({
        path: name,
        'median ms': fixed(percentile(t, 50), 3),
        'p99 ms': fixed(percentile(t, 99), 3),
        'vs direct': fixed(percentile(t, 50) / base, 2),
      })
  }
  await te.close()
}
report('connect-latency', connectRows, [
  'the simulator adds the latency to every frame in both directions of the data channel',
])
report('connect-phases', phaseRows, [
  'one fresh pg connection through the open tunnel, phase by phase; each phase is one round trip, except startup+auth for plain pg (two: it waits to be asked for the token)',
  'resumed TLS offers the session ticket of the connection before it, as the engine pools do',
])
report('warm-query-25ms', warmRows, [
  `${N25 * 4} sequential SELECT 1 each, at 25 ms one-way latency in the simulated agent; target: ratio ≤ 1.20`,
])
report('query-roundtrip', rttRows, [
  `${N} sequential SELECT 1 each; the engine path includes IPC-free handler dispatch, cursor and display mapping`,
])
