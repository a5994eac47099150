// Dialing the session's destination through the resolver, with simple backpressure: a
// destination socket stops being read while the session's output backlog is large.
import { connect, type Socket } from 'node:net'
import type { RelayContext } from './types'

const HIGH_BACKLOG = 4000
const LOW_BACKLOG = 1000

/** Callbacks of one destination connection. */
export interface DialHandlers {
  onData(chunk: Buffer): void
  /** Dial failed (unresolvable or refused) before the connection was established. */
  onFail(reason: string): void
  /** An established connection ended (either side). */
  onClose(): void
}

/**
 * Resolves and dials host:port; returns the socket, or undefined when the name does not
 * resolve (onFail has then been called synchronously).
 */
export function dialDestination(ctx: RelayContext, h: DialHandlers): Socket | undefined {
  const addr = ctx.resolver.resolve(ctx.host, ctx.port)
  if (!addr) {
    h.onFail(`dial ${ctx.host}:${ctx.port}: no such host`)
    return undefined
  }
  const sock = connect({ host: addr.host, port: addr.port })
  let connected = false
  let poll: NodeJS.Timeout | undefined
  sock.on('connect', () => {
    connected = true
  })
  sock.on('data', (chunk: Buffer) => {
    ctx.counters.bytesRelayed += chunk.length
    h.onData(chunk)
    if (!poll && ctx.backlog() > HIGH_BACKLOG) {
      sock.pause()
      poll = setInterval(() => {
        if (ctx.backlog() > LOW_BACKLOG) return
        clearInterval(poll)
        poll = undefined
        sock.resume()
      }, 20)
    }
  })
  sock.on('error', (err) => {
    if (!connected) h.onFail(`dial ${ctx.host}:${ctx.port}: ${err.message}`)
  })
  sock.on('close', () => {
    if (poll) clearInterval(poll)
    if (connected) h.onClose()
  })
  return sock
}

/** Writes client bytes to a destination socket, counting them. */
export function writeToDestination(ctx: RelayContext, sock: Socket, bytes: Buffer): void {
  ctx.counters.bytesRelayed += bytes.length
  sock.write(bytes)
}
