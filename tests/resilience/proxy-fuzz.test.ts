// Issue 17: 10k garbage, truncated and oversized startup packets and abrupt disconnects against
// the proxy while a real client keeps querying through it: the proxy keeps serving, every fuzz
// connection is closed by the proxy (no hang), and no client is left in the registry.
import assert from 'node:assert/strict'
import { randomBytes, randomInt } from 'node:crypto'
import net from 'node:net'
import { after, before, test } from 'node:test'
import { connectClient, type ProxyFixture, startProxyFixture } from '../fixtures/proxy-fixture'

let fx: ProxyFixture
before(async () => {
  fx = await startProxyFixture()
})
after(async () => {
  await fx?.close()
})

const int32 = (...v: number[]): Buffer => {
  const b = Buffer.alloc(v.length * 4)
  v.forEach((x, i) => {
    b.writeUInt32BE(x >>> 0, i * 4)
  })
  return b
}
const startup = (params: string): Buffer => {
  const body = Buffer.concat([int32(3 << 16), Buffer.from(params), Buffer.from([0])])
  return Buffer.concat([int32(body.length + 4), body])
}

/** One fuzz case: bytes to send and whether to end politely or reset. */
function fuzzCase(i: number, user: string): { bytes: Buffer; abort: boolean } {
  const valid = startup(`user\0${user}\0database\0demo\0`)
  const kind = i % 10
  let bytes: Buffer
  if (kind === 0) bytes = randomBytes(randomInt(0, 64))
  else if (kind === 1)
    bytes = Buffer.concat([int32(randomInt(10_001, 0x7fffffff)), randomBytes(randomInt(0, 32))])
  else if (kind === 2) bytes = valid.subarray(0, randomInt(0, valid.length))
  else if (kind === 3) bytes = Buffer.concat([int32(8, 80877103), randomBytes(randomInt(1, 40))])
  else if (kind === 4) bytes = Buffer.from('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  else if (kind === 5) {
    const b = Buffer.from(valid)
    for (let k = 0; k < 4; k++) b[randomInt(4, b.length)] = randomInt(0, 256)
    bytes = b
  } else if (kind === 6)
    bytes = Buffer.concat([valid, Buffer.from('p'), int32(randomInt(0, 0x7fffffff)), randomBytes(8)])
  else if (kind === 7) bytes = Buffer.concat([int32(16, 80877102), randomBytes(8)])
  else if (kind === 8)
    bytes = Buffer.concat([int32(8, 80877104), int32(8, 80877103), randomBytes(randomInt(0, 20))])
  else bytes = Buffer.concat([valid, Buffer.from('p'), int32(9), Buffer.from('nope\0')])
  return { bytes, abort: i % 3 === 0 }
}

test('10k fuzzed startups and disconnects while another client keeps working', async () => {
  const port = fx.status.port ?? assert.fail('no port')
  const worker = await connectClient(fx.pgConfig({ application_name: 'steady' }))
  let steadyQueries = 0
  let stop = false
  const steady = (async () => {
    while (!stop) {
      const r = await worker.query('select $1::int as n', [steadyQueries])
      assert.equal(r.rows[0].n, steadyQueries)
      steadyQueries++
    }
  })()

  const total = 10_000
  let next = 0
  let closedByProxy = 0
  const runOne = (i: number) =>
    new Promise<void>((resolve) => {
      const { bytes, abort } = fuzzCase(i, fx.target.dbUser)
      const s = net.connect(port, '127.0.0.1')
      s.on('error', () => {})
      s.on('data', () => {})
      s.on('close', () => {
        closedByProxy++
        resolve()
      })
      s.on('connect', () => {
        s.write(bytes)
        if (abort) s.resetAndDestroy()
        else s.end()
      })
    })
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < total) await runOne(next++)
    }),
  )
  stop = true
  await steady
  assert.equal(closedByProxy, total)
  assert.ok(steadyQueries > 10, `the steady client ran ${steadyQueries} queries during the fuzz`)
  // A new client still logs in, and nothing from the fuzz is left in the registry.
  const fresh = await connectClient(fx.pgConfig())
  assert.equal((await fresh.query('select 1 as n')).rows[0].n, 1)
  await fresh.end()
  await worker.end()
  for (let i = 0; i < 100; i++) {
    const s = (await fx.te.engine.handlers.listProxies(undefined)).find((p) => p.targetId === fx.target.id)
    if (s?.clients.length === 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
  assert.fail('fuzz clients left in the registry')
})
