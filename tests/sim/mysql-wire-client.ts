// A deliberately tiny, independent MySQL client for wire-level gate tests (shares nothing with the
// gate's sim/rds/mysql-wire.ts): it sends a cleartext HandshakeResponse41 without TLS, the attempt
// RDS must refuse, and returns the server's reply payload.
import { execFile } from 'node:child_process'
import net from 'node:net'

/** Reads whole packets from a socket until `count` arrived; resolves their payloads. */
function readPackets(socket: net.Socket, count: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0)
    const out: Buffer[] = []
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      while (buf.length >= 4 && buf.length >= 4 + buf.readUIntLE(0, 3)) {
        const len = buf.readUIntLE(0, 3)
        out.push(buf.subarray(4, 4 + len))
        buf = buf.subarray(4 + len)
        if (out.length === count) {
          socket.off('data', onData)
          return resolve(out)
        }
      }
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.once('close', () => reject(new Error(`closed after ${out.length} packets`)))
  })
}

/** Logs in without TLS, sending `password` in clear with plugin mysql_clear_password. */
export async function wireLogin(port: number, user: string, password: string): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1')
  try {
    await readPackets(socket, 1)
    // PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH | PLUGIN_AUTH_LENENC_CLIENT_DATA | LONG_PASSWORD
    const flags = 0x200 | 0x8000 | 0x80000 | 0x200000 | 0x1
    const head = Buffer.alloc(32)
    head.writeUInt32LE(flags, 0)
    head.writeUInt32LE(16 * 1024 * 1024, 4)
    head[8] = 45
    const auth = Buffer.from(`${password}\0`)
    const len =
      auth.length < 251
        ? Buffer.from([auth.length])
        : Buffer.from([0xfc, auth.length & 0xff, auth.length >> 8])
    const payload = Buffer.concat([
      head,
      Buffer.from(`${user}\0`),
      len,
      auth,
      Buffer.from('mysql_clear_password\0'),
    ])
    const frame = Buffer.alloc(4)
    frame.writeUIntLE(payload.length, 0, 3)
    frame[3] = 1
    const reply = readPackets(socket, 1)
    socket.write(Buffer.concat([frame, payload]))
    return (await reply)[0] ?? Buffer.alloc(0)
  } finally {
    socket.destroy()
  }
}

/** Whether a `mysql` command-line client is installed. */
export function mysqlClientAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('mysql', ['--version'], (err) => resolve(!err)))
}
