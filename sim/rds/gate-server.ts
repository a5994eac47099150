// What both RDS gates (PostgreSQL rds-gate.ts, MySQL mysql-gate.ts) do around their protocol: listen
// on an ephemeral loopback port, keep every socket so close() can cut them, end a refused handshake
// with its final message (destroying a peer that never reads it), terminate TLS with the RDS name's
// certificate, and splice an authenticated client to its upstream byte for byte.
import net from 'node:net'
import tls from 'node:tls'
import type { Logger } from '../sim-logger'

/** The socket helpers a gate's handler uses. */
export interface GateKit {
  /** Keeps `s` so close() cuts it. */
  track(s: net.Socket): void
  /** Ends a handshake with a final message; destroys the socket if the peer never reads it. */
  refuse(socket: net.Socket, message: Buffer): void
  /** Server-side TLS on `raw` with the gate's certificate; resolves once the handshake is done. */
  upgrade(raw: net.Socket): Promise<tls.TLSSocket>
  /** Pipes client ⇄ upstream after the handshake; either side closing ends both. */
  splice(client: net.Socket, up: net.Socket, fromClient: Buffer, fromUpstream: Buffer): void
}

/** A running gate on 127.0.0.1. */
export interface GateServer {
  port: number
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>
}

/** The peer's address as a server would log it (IPv4-mapped IPv6 unwrapped). */
export function clientHost(socket: net.Socket): string {
  const addr = socket.remoteAddress ?? 'unknown'
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr
}

/** The helpers over one certificate; `cutAll` destroys every socket they track. */
export function createGateKit(
  pems: { certPem: string; keyPem: string },
  log: Logger,
): GateKit & { cutAll(): void } {
  const secureContext = tls.createSecureContext({ cert: pems.certPem, key: pems.keyPem })
  const open = new Set<net.Socket>()
  const kit = {
    track(s: net.Socket) {
      open.add(s)
      s.once('close', () => open.delete(s))
    },
    refuse(socket: net.Socket, message: Buffer) {
      if (!socket.writable) return void socket.destroy()
      socket.end(message)
      setTimeout(() => socket.destroy(), 2000).unref()
    },
    upgrade(raw: net.Socket): Promise<tls.TLSSocket> {
      return new Promise((resolve, reject) => {
        const secure = new tls.TLSSocket(raw, { isServer: true, secureContext })
        kit.track(secure)
        secure.once('secure', () => {
          secure.off('error', reject)
          secure.on('error', (err) => log.debug(`client TLS error: ${err.message}`))
          resolve(secure)
        })
        secure.once('error', reject)
        secure.once('close', () => reject(new Error('client closed during the TLS handshake')))
      })
    },
    splice(client: net.Socket, up: net.Socket, fromClient: Buffer, fromUpstream: Buffer) {
      if (fromUpstream.length) client.write(fromUpstream)
      if (fromClient.length) up.write(fromClient)
      up.on('error', (err) => log.debug(`upstream socket error: ${err.message}`))
      // Either side closing ends the session, as when the RDS backend or the client goes away.
      const done = (): void => {
        client.destroy()
        up.destroy()
      }
      client.once('close', done)
      up.once('close', done)
      client.pipe(up)
      up.pipe(client)
    },
    cutAll() {
      for (const s of open) s.destroy()
    },
  }
  return kit
}

/** Listens on an ephemeral loopback port; `handle` runs for every accepted (tracked) socket. */
export async function listenGate(
  kit: GateKit & { cutAll(): void },
  label: string,
  log: Logger,
  handle: (raw: net.Socket) => Promise<void>,
): Promise<GateServer> {
  const server = net.createServer((socket) => {
    kit.track(socket)
    socket.on('error', (err) => log.debug(`client socket error: ${err.message}`))
    socket.setNoDelay(true)
    void handle(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (err) => log.warn(`${label} server error: ${err.message}`))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        kit.cutAll()
        server.close(() => resolve())
      }),
  }
}
