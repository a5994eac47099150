// AWS's own client pair against the simulator: `aws ssm start-session` with the real
// session-manager-plugin (built from aws/session-manager-plugin; not packaged for Debian or npm, so
// this file runs where it is on PATH and says why it skips elsewhere). The simulator must accept what
// AWS's plugin sends: StartSession signed by botocore, the data-channel handshake, smux streams,
// acks and the service rate cap. psql then runs through the plugin's local port in verify-full
// with a token from `aws rds generate-db-auth-token`, and a COPY comes back byte-exact.
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { DEMO } from '../../shared/demo'
import { type Simulator, startSimulator } from '../../sim/index'
import { type PluginSession, startPluginSession } from '../fixtures/aws-plugin-session'
import { waitFor } from '../fixtures/wait-for'

const AWS = process.env.PORTHOLE_AWS_CLI ?? 'aws'
const missing = [
  spawnSync(AWS, ['--version']).error && `the AWS CLI (${AWS})`,
  spawnSync('session-manager-plugin', ['--version']).error &&
    'session-manager-plugin (build it from github.com/aws/session-manager-plugin and put it on PATH)',
  spawnSync('psql', ['--version']).error && 'psql',
].filter(Boolean)
const skip = missing.length ? `not installed: ${missing.join(', ')}` : false

let sim: Simulator
let home: string
let session: PluginSession | undefined
let localPort = 0

function cliEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: sim.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sim.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: sim.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  }
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number; out: string; err: string }>((resolve) => {
    // Asynchronous: the simulator runs in this process, so a blocking spawn would starve it.
    execFile(cmd, args, { env, maxBuffer: 64 << 20 }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    )
  })

before(async () => {
  if (skip) return
  home = mkdtempSync(join(tmpdir(), 'porthole-plugin-'))
  writeFileSync(join(home, 'config'), '')
  writeFileSync(join(home, 'credentials'), '')
  sim = await startSimulator()
  const db = sim.databases[0]!
  session = await startPluginSession({
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: sim.credentials,
    instanceId: DEMO.instanceId,
    host: db.rdsHost,
    port: db.rdsPort,
  })
  localPort = session.localPort
})

after(async () => {
  await session?.close()
  await sim?.close()
  if (home) rmSync(home, { recursive: true, force: true })
})

describe('aws ssm start-session + session-manager-plugin against the simulator', { skip }, () => {
  const db = () => sim.databases[0]!
  const conninfo = () =>
    `host=${db().rdsHost} hostaddr=127.0.0.1 port=${localPort} dbname=${db().database} user=${db().dbUser} sslmode=verify-full sslrootcert=${sim.caFile}`
  const token = async () => {
    const r = await run(
      AWS,
      [
        'rds',
        'generate-db-auth-token',
        '--hostname',
        db().rdsHost,
        '--port',
        String(db().rdsPort),
        '--username',
        db().dbUser,
      ],
      cliEnv(),
    )
    assert.equal(r.code, 0, r.err)
    return r.out.trim()
  }
  const psql = async (args: string[]) =>
    run('psql', [conninfo(), '-X', ...args], {
      PATH: process.env.PATH,
      PGPASSWORD: await token(),
      PGCONNECT_TIMEOUT: '120',
    })

  test('the session is a port forwarding session the simulator counts as mux', () => {
    const id = session?.sessionId
    assert.ok(id, 'the plugin printed its SessionId')
    const info = sim.agent.sessionInfo(id)
    assert.equal(info?.mode, 'mux', 'AWS plugin 1.2 negotiates smux with a current agent')
  })

  test('psql logs in through the plugin in verify-full with an awscli token', async () => {
    // TLS ends at the (simulated) RDS endpoint, so the server side cannot show it; libpq can.
    const r = await psql(['-At', '-c', 'select current_user', '-c', '\\conninfo'])
    assert.equal(r.code, 0, r.err)
    assert.equal(r.out.split('\n')[0], db().dbUser)
    assert.match(r.out, new RegExp(`host "${db().rdsHost}" \\(address "127\\.0\\.0\\.1"\\)`))
    assert.match(r.out, /SSL connection \(protocol: TLSv1\.[23]/)
  })

  test('two psql sessions at once over the one plugin session; a COPY comes back byte-exact', async () => {
    const sql = "copy (select g, md5(g::text), repeat('x', 40) from generate_series(1, 20000) g) to stdout"
    const [a, b] = await Promise.all([psql(['-c', sql]), psql(['-c', sql])])
    assert.equal(a.code, 0, a.err)
    assert.equal(b.code, 0, b.err)
    const direct = [...Array(20000).keys()].map((i) => {
      const g = i + 1
      return `${g}\t${createHash('md5').update(String(g)).digest('hex')}\t${'x'.repeat(40)}\n`
    })
    const expected = createHash('sha256').update(direct.join('')).digest('hex')
    assert.equal(createHash('sha256').update(a.out).digest('hex'), expected)
    assert.equal(createHash('sha256').update(b.out).digest('hex'), expected)
    const id = session?.sessionId ?? ''
    assert.equal(sim.agent.sessionInfo(id)?.rateViolations ?? 0, 0, 'the plugin stayed under the rate cap')
  })

  // A defect of AWS's plugin, not of the simulator (docs/simulator.md): under load the COPY across
  // the drop sometimes fails with "SSL error: decryption failed or bad record mac". Recorded on both
  // sides, the simulator's output in sequence order equals the database's bytes exactly, while the
  // bytes the plugin hands psql hold one 1024-byte message twice, right at the drop. The plugin
  // (datachannel/streaming.go, HandleOutputMessage) writes a message's payload to the stream, then
  // returns before advancing its expected sequence number when the ack cannot be sent on the dying
  // WebSocket; the agent, never acked, resends it after the resume and the plugin writes it again.
  // Its users report the like (aws/session-manager-plugin#116). Our client counts a message as
  // received once delivered (tests/unit/tunnel/data-channel.test.ts). Kept as a todo: it passes
  // whenever the drop misses that window.
  const todo =
    'AWS plugin defect: a message delivered just as the WebSocket drops is written again after the resume'
  test('after a WebSocket drop the plugin resumes (ResumeSession signed by aws-sdk-go) and new connections work', async () => {
    const id = session?.sessionId ?? ''
    const info = () => sim.agent.sessionInfo(id)
    const before = info()?.connections ?? 0
    sim.agent.dropConnection(id)
    await waitFor(() => (info()?.connections ?? 0) > before, {
      what: 'the plugin reconnecting with a ResumeSession token',
      progress: () => info()?.connections,
    })
    const r = await psql(['-Atc', 'select 41 + 1'])
    assert.equal(r.code, 0, r.err)
    assert.equal(r.out.trim(), '42')
    assert.equal(info()?.ended, false)
  })

  test('a WebSocket drop mid-COPY: the COPY ends byte-exact', { todo }, async () => {
    const id = session?.sessionId ?? ''
    const info = () => sim.agent.sessionInfo(id)
    const before = info()?.connections ?? 0
    const rows = 40000
    const sql = `copy (select g, md5(g::text) from generate_series(1, ${rows}) g) to stdout`
    const copy = psql(['-c', sql])
    // Fault by state, not by timer: drop once the agent has sent 300 more messages of this COPY.
    const start = info()?.messagesOut ?? 0
    await waitFor(() => (info()?.messagesOut ?? 0) > start + 300, {
      what: 'the COPY under way',
      progress: () => info()?.messagesOut,
    })
    sim.agent.dropConnection(id)
    const r = await copy
    assert.equal(r.code, 0, r.err)
    const expected = [...Array(rows).keys()]
      .map(
        (i) =>
          `${i + 1}\t${createHash('md5')
            .update(String(i + 1))
            .digest('hex')}\n`,
      )
      .join('')
    assert.equal(
      createHash('sha256').update(r.out).digest('hex'),
      createHash('sha256').update(expected).digest('hex'),
    )
    assert.ok((info()?.connections ?? 0) > before, 'the plugin reconnected with a ResumeSession token')
    assert.equal(info()?.ended, false)
  })
})
