// Issue 16, one round trip less per connection: the engine's pools send the IAM token right behind
// the StartupMessage instead of waiting for RDS's AuthenticationCleartextPassword. Scripted servers
// (TLS with a test CA, real sockets, pg on the client side) show that the token arrives unasked and
// is not sent twice, and that a server asking for MD5 or nothing at all (trust) turns the early token
// off and still gets the ordinary exchange after one retry.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { TLSSocket } from 'node:tls'
import { silentLogger } from '../../electron/base/logger'
import { createPoolRegistry } from '../../electron/db/pool-registry'
import { parsePasswordBody, serializeAuthCleartextPassword } from '../../sim/rds/pg-wire'
import { SocketReader } from '../../sim/rds/socket-reader'
import { createTestCa, type IssuedCert } from '../../sim/rds/test-ca'

const HOST = 'pipelined.c0ffee.us-east-1.rds.amazonaws.com'
type Mode = 'rds' | 'md5' | 'trust'

const msg = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5)
  head.write(type, 0)
  head.writeUInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}
const int32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}
const authOk = () => msg('R', int32(0))
const ready = () => msg('Z', Buffer.from('I'))
const welcome = () =>
  Buffer.concat([
    authOk(),
    msg('S', Buffer.from('server_version\u000016.4\u0000')),
    msg('K', Buffer.concat([int32(4242), int32(7)])),
    ready(),
  ])
const fatal = (code: string, text: string) =>
  msg('E', Buffer.from(`SFATAL\u0000VFATAL\u0000C${code}\u0000M${text}\u0000\u0000`))

interface Seen {
  /** What each connection received: the early token (before being asked) or an answer, in order. */
  passwords: Array<{ asked: boolean; body: string }>
  queries: string[]
}

/** A PostgreSQL server speaking just enough protocol: SSLRequest, TLS, startup, auth by `mode`, Query. */
async function scriptedServer(cert: IssuedCert, mode: Mode, seen: Seen): Promise<Server> {
  const serve = async (raw: Socket) => {
    raw.on('error', () => {})
    let reader = new SocketReader(raw)
    await reader.read((f) => f.nextStartupPacket()) // SSLRequest
    reader.detach()
    raw.write('S')
    const tls = new TLSSocket(raw, { isServer: true, cert: cert.certPem, key: cert.keyPem })
    tls.on('error', () => {})
    reader = new SocketReader(tls)
    await reader.read((f) => f.nextStartupPacket())
    if (mode === 'trust') tls.write(welcome())
    else if (mode === 'md5') tls.write(msg('R', Buffer.concat([int32(5), Buffer.from([1, 2, 3, 4])])))
    // 'rds': like a server slow to ask, it waits for the client's first message before asking. A
    // client that waits to be asked never gets there: this connection only works with the early token.
    if (mode !== 'trust') {
      const p = await reader.read((f) => f.nextMessage(65535))
      assert.equal(p.type, 'p')
      const body = parsePasswordBody(p.body)
      seen.passwords.push({ asked: mode === 'md5', body })
      if (mode === 'md5' && !/^md5[0-9a-f]{32}$/.test(body)) {
        tls.end(fatal('28P01', 'password authentication failed for user "iam_user"'))
        return
      }
      tls.write(Buffer.concat([...(mode === 'rds' ? [serializeAuthCleartextPassword()] : []), welcome()]))
    }
    for (;;) {
      const m = await reader.read((f) => f.nextMessage(65535))
      if (m.type === 'X') return void tls.end()
      if (m.type === 'p') {
        seen.passwords.push({ asked: false, body: parsePasswordBody(m.body) })
        return void tls.end(fatal('08P01', 'invalid frontend message type 112'))
      }
      seen.queries.push(m.body.toString('utf8', 0, m.body.length - 1))
      tls.write(Buffer.concat([msg('I', Buffer.alloc(0)), ready()]))
    }
  }
  const server = createServer((s) => void serve(s).catch(() => s.destroy()))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return server
}

let cert: IssuedCert
let dir: string
let caFile: string
const servers: Server[] = []
before(async () => {
  const ca = await createTestCa()
  cert = await ca.issueServerCert([HOST])
  dir = mkdtempSync(join(tmpdir(), 'porthole-pipelined-'))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, ca.caPem)
})
after(() => {
  for (const s of servers) s.close()
  rmSync(dir, { recursive: true, force: true })
})

async function connectThrough(mode: Mode) {
  const seen: Seen = { passwords: [], queries: [] }
  const server = await scriptedServer(cert, mode, seen)
  servers.push(server)
  let n = 0
  const registry = createPoolRegistry({
    logger: silentLogger,
    signerFor: () => ({
      signToken: async () => ({
        token: `token-${++n}`,
        issuedAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      }),
    }),
  })
  const target = {
    id: `t-${mode}`,
    rdsHost: HOST,
    rdsPort: 5432,
    dbUser: 'iam_user',
    database: 'app',
    caFile,
  }
  const pools = registry.get(target as never, (server.address() as AddressInfo).port)
  const client = await pools.connect('query')
  await client.query('select 1')
  client.release()
  await registry.closeAll()
  return seen
}

test('the token follows the startup message unasked, and is not sent again when RDS asks', async () => {
  const seen = await connectThrough('rds')
  assert.deepEqual(seen.passwords, [{ asked: false, body: 'token-1' }])
  assert.deepEqual(
    seen.queries,
    ['select 1'],
    'the next message after auth was the query, not a second token',
  )
})

test('a server that asks for MD5 gets the ordinary exchange after one refused early token', async () => {
  const seen = await connectThrough('md5')
  assert.equal(seen.passwords.length, 2)
  assert.equal(seen.passwords[0]!.body, 'token-1', 'the first connection sent its token early')
  assert.match(seen.passwords[1]!.body, /^md5[0-9a-f]{32}$/, 'the retry answered the MD5 challenge')
  assert.deepEqual(seen.queries, ['select 1'])
})

test('a trust server (no password asked) is redialled without the early token', async () => {
  const seen = await connectThrough('trust')
  // The first connection's early token lands after AuthenticationOk and is refused (08P01).
  assert.deepEqual(seen.passwords, [{ asked: false, body: 'token-1' }])
  assert.deepEqual(seen.queries, ['select 1'], 'the retry sent no token and ran the query')
})
