// One target's listeners: TCP on 127.0.0.1:<pinned port> and a Unix socket
// <runtime>/<engine>/.s.PGSQL.<port> in a 0700 folder (socket 0600), both handing accepted
// connections to the engine's front. A taken port is an error naming its holder.
import { chmod, rm } from 'node:fs/promises'
import net from 'node:net'
import { join } from 'node:path'
import { PortholeError } from '../../shared/errors'
import { portTakenMessage, readPortHolder, releasePortLock, writePortLock } from './port-lock'
import { ensurePrivateDir } from './private-dir'
import type { ProxyFront } from './proxy-front'

export interface ProxyListenerOptions {
  /** 0 picks a free port (the manager then pins it on the target). */
  port: number
  runtimeDir: string
  front: ProxyFront
  targetName: string
  shell: string
  /** Recorded in the port's lock file for other Porthole processes. */
  lockInfo?: {
    targetId: string
    user: string
    database: string
    pgpassFile: string
    engine: 'postgres' | 'mysql'
    optionFile?: string
  }
}

export interface ProxyListener {
  port: number
  /** Folder to pass as host= (libpq, node-postgres); null where Unix sockets are not used. */
  socketDir: string | null
  socketPath: string | null
  close(): Promise<void>
}

/** The socket's file name in its folder: libpq's own name for PostgreSQL; by port for MySQL. */
export const socketFileName = (engine: 'postgres' | 'mysql', port: number): string =>
  engine === 'postgres' ? `.s.PGSQL.${port}` : `mysql-${port}.sock`

function listen(server: net.Server, where: { port: number; host: string } | string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(where, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

const closeServer = (server: net.Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()))

/** Binds TCP then the Unix socket; on failure nothing stays bound. */
export async function startProxyListener(options: ProxyListenerOptions): Promise<ProxyListener> {
  const { front } = options
  const tcp = net.createServer((socket) => void front.serve(socket, 'tcp'))
  try {
    await listen(tcp, { port: options.port, host: '127.0.0.1' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    const holder = await readPortHolder(options.runtimeDir, options.port)
    throw PortholeError.of('PORT_IN_USE', portTakenMessage(options.port, holder, options.targetName))
  }
  const port = (tcp.address() as net.AddressInfo).port
  let unix: net.Server | undefined
  let socketDir: string | null = null
  let socketPath: string | null = null
  try {
    if (process.platform !== 'win32') {
      socketDir = await ensurePrivateDir(
        join(options.runtimeDir, front.engine === 'postgres' ? 'pg' : 'mysql'),
      )
      socketPath = join(socketDir, socketFileName(front.engine, port))
      // We hold the TCP port, so a socket file for it is a leftover of a process that died.
      await rm(socketPath, { force: true })
      unix = net.createServer((socket) => void front.serve(socket, 'unix'))
      await listen(unix, socketPath)
      await chmod(socketPath, 0o600)
    }
    await writePortLock(options.runtimeDir, port, {
      pid: process.pid,
      shell: options.shell,
      targetName: options.targetName,
      startedAt: new Date().toISOString(),
      ...options.lockInfo,
      socketDir,
    })
  } catch (err) {
    await closeServer(tcp)
    if (unix) await closeServer(unix)
    await releasePortLock(options.runtimeDir, port)
    throw err
  }
  return {
    port,
    socketDir,
    socketPath,
    async close() {
      const closing = [closeServer(tcp), unix ? closeServer(unix) : Promise.resolve()]
      front.closeAll('the Porthole proxy is stopping')
      await Promise.all(closing)
      if (socketPath) await rm(socketPath, { force: true })
      await releasePortLock(options.runtimeDir, port)
    },
  }
}
