// Garbage, truncated, oversized and wrongly authenticated handshake responses and abrupt
// disconnects (400 cases) against the MySQL proxy while a mysql2 client keeps querying through
// it: every fuzz connection is closed by the proxy, the ones it can answer get MySQL's own ERR
// (1043 bad handshake, 2026 no TLS, 1045 access denied), no client is left in the registry, and a
// new client still logs in. Each case costs a tunnel stream and an upstream greeting (MySQL's
// server speaks first), so the count is hundreds, not PostgreSQL's 10k.
import assert from 'node:assert/strict'
import { randomBytes, randomInt } from 'node:crypto'
import net from 'node:net'
import { after, before, describe, test } from 'node:test'
import mysql from 'mysql2/promise'
import {
  hasMysqlClient,
  type MySqlProxyFixture,
  startMySqlProxyFixture,
} from '../fixtures/mysql-proxy-fixture'
import { waitFor, watchForStall } from '../fixtures/wait-for'
import { mysqlSkipReason } from '../integration/mysql-support'

const skip =
  (await mysqlSkipReason()) || ((await hasMysqlClient()) ? false : 'the mysql client is not installed')
let fx: MySqlProxyFixture
before(async () => {
  if (!skip) fx = await startMySqlProxyFixture()
})
after(async () => {
  await fx?.close()
})

const packet = (seq: number, payload: Buffer): Buffer => {
  const head = Buffer.alloc(4)
  head.writeUIntLE(payload.length, 0, 3)
  head[3] = seq
  return Buffer.concat([head, payload])
}
// PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH | CONNECT_WITH_DB, max packet 16 MiB, utf8mb4.
const fixed = (flags: number): Buffer => {
  const b = Buffer.alloc(32)
  b.writeUInt32LE(flags >>> 0, 0)
  b.writeUInt32LE(1 << 24, 4)
  b[8] = 45
  return b
}
const FLAGS = 0x200 | 0x8000 | 0x80000 | 0x8
const response = (user: string, auth: Buffer, plugin = 'mysql_native_password'): Buffer =>
  packet(
    1,
    Buffer.concat([
      fixed(FLAGS),
      Buffer.from(`${user}\0`),
      Buffer.from([auth.length]),
      auth,
      Buffer.from(`demo\0${plugin}\0`),
    ]),
  )

interface FuzzCase {
  /** Sent before the greeting arrives (a client speaking first) instead of after it. */
  early: boolean
  bytes: Buffer
  /** How the fuzzer leaves: reset, half-close, or wait for the proxy to close. */
  leave: 'reset' | 'end' | 'wait'
  /** The ERR code the proxy must send when the fuzzer waits. */
  expect?: number
}

function fuzzCase(i: number, user: string): FuzzCase {
  const valid = response(user, randomBytes(20))
  const reset = i % 3 === 0
  switch (i % 10) {
    case 0:
      return { early: true, bytes: randomBytes(randomInt(0, 64)), leave: reset ? 'reset' : 'end' }
    case 1: // a length far over the handshake limit
      return {
        early: false,
        bytes: Buffer.from([0xff, 0xff, 0xff, 1, ...randomBytes(8)]),
        leave: 'wait',
        expect: 1043,
      }
    case 2:
      return {
        early: false,
        bytes: valid.subarray(0, randomInt(0, valid.length)),
        leave: reset ? 'reset' : 'end',
      }
    case 3: // an SSLRequest although the greeting offered no TLS
      return { early: false, bytes: packet(1, fixed(FLAGS | 0x800)), leave: 'wait', expect: 2026 }
    case 4:
      return { early: true, bytes: Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), leave: 'end' }
    case 5: {
      const b = Buffer.from(valid)
      for (let k = 0; k < 4; k++) b[randomInt(4, b.length)] = randomInt(0, 256)
      return { early: false, bytes: b, leave: reset ? 'reset' : 'end' }
    }
    case 6: // the right user, a scramble of some other password
      return { early: false, bytes: valid, leave: 'wait', expect: 1045 }
    case 7:
      return { early: false, bytes: response('root', randomBytes(20)), leave: 'wait', expect: 1045 }
    case 8:
      return { early: true, bytes: Buffer.alloc(0), leave: 'reset' }
    default: // an unknown plugin: the proxy switches to mysql_native_password; the fuzzer leaves
      return {
        early: false,
        bytes: response(user, randomBytes(8), 'client_ed25519'),
        leave: reset ? 'reset' : 'end',
      }
  }
}

/** The ERR code of the last packet the proxy sent, if it was an ERR. */
function lastErr(data: Buffer): number | undefined {
  let at = 0
  let code: number | undefined
  while (at + 4 <= data.length) {
    const len = data.readUIntLE(at, 3)
    const payload = data.subarray(at + 4, at + 4 + len)
    code = payload[0] === 0xff ? payload.readUInt16LE(1) : undefined
    at += 4 + len
  }
  return code
}

describe('MySQL proxy fuzz', { skip }, () => {
  test('400 fuzzed handshakes and disconnects while another client keeps working', async () => {
    const port = fx.status.port ?? assert.fail('no port')
    const worker = await mysql.createConnection(fx.config({ connectAttributes: { program_name: 'steady' } }))
    let steadyQueries = 0
    let stop = false
    const steady = (async () => {
      while (!stop) {
        const [rows] = await worker.query<mysql.RowDataPacket[]>('select ? as n', [steadyQueries])
        assert.equal(rows[0]?.n, steadyQueries)
        steadyQueries++
      }
    })()

    const total = 400
    let next = 0
    let done = 0
    const wrong: string[] = []
    const watch = watchForStall('the fuzz', undefined, () => `${done}/${total} cases`)
    const runOne = (i: number) =>
      new Promise<void>((resolve) => {
        const c = fuzzCase(i, fx.target.dbUser)
        const s = net.connect(port, '127.0.0.1')
        let received = Buffer.alloc(0)
        let sent = false
        const send = (): void => {
          if (sent) return
          sent = true
          s.write(c.bytes)
          if (c.leave === 'reset') s.resetAndDestroy()
          else if (c.leave === 'end') s.end()
        }
        s.on('error', () => {})
        s.on('data', (d: Buffer) => {
          received = Buffer.concat([received, d])
          send() // the greeting arrived
        })
        s.on('close', () => {
          if (c.expect !== undefined && lastErr(received) !== c.expect)
            wrong.push(`case ${i}: expected ERR ${c.expect}, got ${received.toString('hex').slice(-80)}`)
          done++
          watch.tick()
          resolve()
        })
        s.on('connect', () => {
          if (c.early) send()
        })
      })
    await Promise.race([
      watch.stalled,
      Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < total) await runOne(next++)
        }),
      ),
    ])
    watch.stop()
    stop = true
    await steady
    assert.deepEqual(wrong, [])
    assert.equal(done, total)
    assert.ok(steadyQueries > 10, `the steady client ran ${steadyQueries} queries during the fuzz`)
    const fresh = await mysql.createConnection(fx.config())
    assert.deepEqual((await fresh.query('select 1 as n'))[0], [{ n: 1 }])
    await fresh.end()
    await worker.end()
    await waitFor(async () => (await fx.now()).clients.length === 0, {
      what: 'fuzz clients leaving the registry',
    })
  })
})
