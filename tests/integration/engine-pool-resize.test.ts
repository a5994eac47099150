// Editing a connected target's session pool resizes the live tunnel through the engine (saveTarget),
// without dropping the database connection riding on it, and the status events show the sessions.
// The demo target through the simulator; waits for states, never for a time.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import pg from 'pg'
import type { TunnelStatus } from '../../shared/ipc/models'
import type { Target } from '../../shared/target-schema'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { waitFor } from '../fixtures/wait-for'

let te: TestEngine
let demo: Target
const seen: TunnelStatus[] = []
before(async () => {
  te = await startTestEngine()
  demo = await te.engine.handlers.createDemoTarget(undefined)
  te.engine.bus.on('onTunnelChanged', (s) => {
    if (s.targetId === demo.id) seen.push(s)
  })
})
after(async () => {
  await te.close()
})

const latest = () => seen.at(-1)
/** The target as the edit form sends it back: its input fields only. */
const edited = (sessionPool: number) => {
  const { createdAt: _c, updatedAt: _u, ...input } = demo
  return { ...input, sessionPool }
}
const active = (s: TunnelStatus | undefined) => (s?.sessions ?? []).filter((x) => !x.draining).length

async function plainClient(port: number): Promise<pg.Client> {
  const h = te.engine.handlers
  const sim = te.sim()!
  const db = sim.databases[0]!
  const env = (await h.getConnectionStrings({ targetId: demo.id, withToken: true })).withToken?.env ?? ''
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: db.dbUser,
    database: db.database,
    ssl: { ca: sim.caPem, servername: db.rdsHost },
    password: env.match(/PGPASSWORD='([^']+)'/)?.[1],
  })
  await client.connect()
  return client
}

test('saveTarget with a new sessionPool grows and shrinks the live tunnel; open connections survive', async () => {
  const h = te.engine.handlers
  const opened = await h.connectTarget({ targetId: demo.id })
  assert.equal(opened.sessionIds.length, 1)
  const client = await plainClient(opened.localPort!)
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid

  const grown = await h.saveTarget(edited(3))
  assert.equal(grown.sessionPool, 3)
  await waitFor(() => active(latest()) === 3 && latest()?.sessionIds.length === 3, {
    what: 'a status event with three active sessions',
  })
  assert.equal((await h.listTunnels(undefined)).find((t) => t.targetId === demo.id)?.sessionIds.length, 3)
  const still = await client.query<{ pid: number }>('select pg_backend_pid() as pid')
  assert.equal(still.rows[0]!.pid, pid, 'the same backend answers: the connection was not dropped')

  // New connections spread over the grown pool while the first one stays where it was.
  const more = await Promise.all([plainClient(opened.localPort!), plainClient(opened.localPort!)])
  await waitFor(() => (latest()?.sessions ?? []).every((s) => s.openStreams >= 1), {
    what: 'every session carrying a stream',
  })

  await h.saveTarget(edited(1))
  await waitFor(() => active(latest()) === 1, { what: 'a status event with one active session' })
  for (const c of [client, ...more]) assert.equal((await c.query('select 1 as one')).rows[0].one, 1)
  await Promise.all(more.map((c) => c.end()))
  await client.end()
  // Draining sessions end once their last stream is gone; the status drops them.
  await waitFor(() => latest()?.sessionIds.length === 1 && latest()?.state === 'open', {
    what: 'the drained sessions ending',
  })
  const survivor = latest()!.sessionIds[0]!
  assert.equal(te.sim()!.agent.sessionInfo(survivor)?.ended, false)
})

test('editing the pool of a target without a live tunnel only saves it', async () => {
  const h = te.engine.handlers
  await h.disconnectTarget({ targetId: demo.id })
  const saved = await h.saveTarget(edited(2))
  assert.equal(saved.sessionPool, 2)
  const status = await h.connectTarget({ targetId: demo.id })
  assert.equal(status.sessionIds.length, 2, 'the next connect opens the saved pool size')
})
