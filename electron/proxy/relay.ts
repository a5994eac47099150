// Byte-for-byte relay between a local client and its upstream session, with backpressure (pipe)
// and byte counts. Resolves once both sockets are closed, saying which side ended first.
import type { Duplex } from 'node:stream'

export interface RelayCounters {
  fromClient(bytes: number): void
  toClient(bytes: number): void
}

/** Relays until either side closes; the other side is ended (half-close passes through as EOF). */
export function relay(client: Duplex, upstream: Duplex, counters: RelayCounters): Promise<string> {
  return new Promise((resolve) => {
    let how: string | undefined
    const settle = (what: string): void => {
      how ??= what
    }
    client.on('data', (chunk: Buffer) => counters.fromClient(chunk.length))
    upstream.on('data', (chunk: Buffer) => counters.toClient(chunk.length))
    client.on('error', (err) => {
      settle(`client error: ${err.message}`)
      upstream.destroy()
    })
    upstream.on('error', (err) => {
      settle(`database connection error: ${err.message}`)
      client.destroy()
    })
    client.on('end', () => settle('client closed'))
    upstream.on('end', () => settle('database closed the session'))
    let closed = 0
    const onClose = (): void => {
      closed++
      if (closed === 1) {
        // One side is gone: the session cannot continue, so close the other too.
        client.end()
        upstream.end()
        setTimeout(() => {
          client.destroy()
          upstream.destroy()
        }, 2000).unref()
      }
      if (closed === 2) resolve(how ?? 'closed')
    }
    client.once('close', onClose)
    upstream.once('close', onClose)
    client.pipe(upstream)
    upstream.pipe(client)
    client.resume()
  })
}
