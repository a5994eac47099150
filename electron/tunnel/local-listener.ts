// The loopback TCP listener a tunnel exposes (127.0.0.1 only: the database must not be reachable
// from the network through this machine). Port 0 picks a free port.
import { createServer, type Server, type Socket } from 'node:net'
import { PortholeError } from '../../shared/errors'

/** An open listener. */
export interface LocalListener {
  readonly port: number
  /** Stops accepting and frees the port (existing connections are their owners' business). */
  close(): Promise<void>
}

/** Listens on 127.0.0.1:`port`; rejects with PORT_IN_USE when the port is taken. */
export function listenLocal(port: number, onConnection: (socket: Socket) => void): Promise<LocalListener> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer({ noDelay: true }, onConnection)
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(
          PortholeError.of('PORT_IN_USE', `Local port ${port} is already in use`, {
            hint: 'Pick another local port for this target, or 0 to choose a free one.',
          }),
        )
      else if (err.code === 'EACCES')
        reject(PortholeError.of('PORT_IN_USE', `Local port ${port} cannot be opened (permission denied)`))
      else reject(PortholeError.of('INTERNAL', `Cannot listen on 127.0.0.1:${port}: ${err.message}`))
    })
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : port
      server.on('error', () => {}) // after listening, errors belong to individual sockets
      resolve({
        port: bound,
        close: () => new Promise<void>((done) => server.close(() => done())),
      })
    })
  })
}
