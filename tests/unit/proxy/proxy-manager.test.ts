// ProxyManager without a database: the tunnel stays while a client exists and closes N "minutes"
// after the last one left; a refused client is audited with its SQLSTATE; the port lock names the
// holder and a second proxy on the same port is refused with that name.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { silentLogger } from '../../../electron/base/logger'
import { AuditLog } from '../../../electron/proxy/audit-log'
import { type ProxyLinks, ProxyManager, type ProxyTarget } from '../../../electron/proxy/proxy-manager'
import type { TargetId } from '../../../shared/target-schema'
import { waitFor } from '../../fixtures/wait-for'

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-pm-'))
})
after(async () => {
  await rm(dir, { recursive: true, force: true })
})

const target = (over: Partial<ProxyTarget> = {}): ProxyTarget => ({
  id: 't_unitproxy1' as TargetId,
  name: 'unit',
  engine: 'postgres',
  dbUser: 'iam_user',
  database: 'app',
  ...over,
})

/** A StartupMessage for iam_user; the client then waits for the proxy's answer. */
function startupPacket(): Buffer {
  const body = Buffer.concat([
    Buffer.from([0, 3, 0, 0]),
    Buffer.from('user\0iam_user\0application_name\0unit\0\0'),
  ])
  const len = Buffer.alloc(4)
  len.writeUInt32BE(body.length + 4)
  return Buffer.concat([len, body])
}

/** A manager on this test's folders; `over` changes the shell name or the idle "minute". */
const manager = (audit: AuditLog, over: { shell?: string; minuteMs?: number } = {}) =>
  new ProxyManager({
    dataDir: dir,
    runtimeDir: join(dir, 'run'),
    shell: 'test',
    logger: silentLogger,
    audit,
    ...over,
  })

const until = (what: string, ok: () => boolean): Promise<void> => waitFor(ok, { what, everyMs: 10 })

test('idle tunnel close after the last client; refused client audited; port holder named', async () => {
  const audit = new AuditLog({ dir: join(dir, 'audit') })
  const pm = manager(audit, { minuteMs: 30 })
  let closes = 0
  let releaseRoute: (err: Error) => void = () => {}
  const links: ProxyLinks = {
    route: () =>
      new Promise((_, reject) => {
        releaseRoute = reject
      }),
    signToken: async () => 'unused',
    closeTunnel: async () => {
      closes++
    },
    principal: async () => 'arn:aws:iam::123456789012:user/unit',
  }
  const status = await pm.start(target({ proxyCloseTunnelAfterMinutes: 1 }), links)
  const port = status.port ?? assert.fail('no port')

  // A client over the Unix socket (no secret) waits for the route: it counts as connected.
  const client = net.connect(join(status.socketDir ?? '', `.s.PGSQL.${port}`))
  client.on('error', () => {})
  let answer = Buffer.alloc(0)
  client.on('data', (d: Buffer) => {
    answer = Buffer.concat([answer, d])
  })
  client.write(startupPacket())
  await until('client listed', () => pm.status(target().id).clients.length === 1)
  await new Promise((r) => setTimeout(r, 150))
  assert.equal(closes, 0, 'no close while a client exists')

  releaseRoute(new Error('no route in this test'))
  await until('client gone', () => pm.status(target().id).clients.length === 0)
  // The registry drops the client when the proxy ends it; the bytes may still be in flight to us.
  await until('the ErrorResponse arrived', () => answer.includes(0))
  assert.equal(answer[0], 'E'.charCodeAt(0), 'the client got an ErrorResponse')
  assert.match(answer.toString('latin1'), /C08001\0/)
  await until('tunnel closed after the idle minute', () => closes === 1)

  const second = manager(audit, { shell: 'other' })
  await assert.rejects(
    second.start(target({ id: 't_unitproxy2' as TargetId, name: 'two', proxyPort: port }), links),
    {
      message: new RegExp(`Port ${port} is already used by this Porthole's proxy for "unit"`),
    },
  )
  await second.closeAll()
  await pm.closeAll()
  const [entry] = await audit.list(5)
  assert.equal(entry?.kind, 'proxy-client')
  assert.equal(entry?.applicationName, 'unit')
  assert.match(entry?.ended ?? '', /^refused: 08001 /)
  assert.equal(entry?.principalArn, 'arn:aws:iam::123456789012:user/unit')
  client.destroy()
})

test('a MySQL client refused because the tunnel did not open gets an ERR packet and an audit entry', async () => {
  const audit = new AuditLog({ dir: join(dir, 'audit-mysql') })
  const pm = manager(audit)
  const links: ProxyLinks = {
    route: async () => {
      throw new Error('no route in this test')
    },
    signToken: async () => 'unused',
    closeTunnel: async () => {},
    principal: async () => 'arn:aws:iam::123456789012:user/unit',
  }
  const mysqlTarget = target({ id: 't_unitproxy3' as TargetId, name: 'my', engine: 'mysql' })
  const status = await pm.start(mysqlTarget, links)
  const client = net.connect(status.port ?? assert.fail('no port'), '127.0.0.1')
  client.on('error', () => {})
  let answer = Buffer.alloc(0)
  client.on('data', (d: Buffer) => {
    answer = Buffer.concat([answer, d])
  })
  // MySQL's server speaks first: the refusal is the first packet, an ERR (0xFF) with code 2003.
  await until('the ERR packet arrived', () => answer.length >= 7)
  assert.equal(answer[4], 0xff)
  assert.equal(answer.readUInt16LE(5), 2003)
  assert.match(answer.toString('utf8'), /could not open the tunnel to "my"/)
  await pm.closeAll()
  const [entry] = await audit.list(5)
  assert.equal(entry?.kind, 'proxy-client')
  assert.equal(entry?.targetId, mysqlTarget.id)
  assert.match(entry?.ended ?? '', /^refused: 2003 /)
  client.destroy()
})
