// `porthole proxy <target> [--port N]`: opens the target's tunnel and runs its local auth proxy
// until Ctrl-C, printing the strings that work through it and each client that comes and goes.
// The port is the target's pinned one (chosen and saved on first start) unless --port says another.
import { parseArgs } from 'node:util'
import type { ProxyStatus } from '../../../shared/ipc/proxy-models'
import { type CliIo, openEngine, openStore, requireTarget, untilSignal } from '../cli-context'
import { PROXY_USAGE } from '../usage'
import { printProxyStrings } from './proxy-strings'

/** Runs tunnel + proxy until a signal; resolves with the exit code. */
export async function runProxyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' } },
  })
  if (positionals.length === 0) {
    io.err(PROXY_USAGE)
    return 2
  }
  let port: number | undefined
  if (values.port !== undefined) {
    port = Number(values.port)
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      io.err(`porthole proxy: --port must be a whole number 1-65535, not "${values.port}"`)
      return 2
    }
  }
  const store = openStore()
  const target = await requireTarget(store, positionals.join(' '))
  const engine = await openEngine(store, 'cli')
  try {
    const status = await engine.handlers.startProxy({ targetId: target.id, port })
    // Open the tunnel now so a credential or SSM problem shows here, not at the first client.
    await engine.handlers.connectTarget({ targetId: target.id })
    const cs = await engine.handlers.getConnectionStrings({ targetId: target.id, withToken: false })
    const stopped = untilSignal() // before saying Ctrl-C stops it (cli-context.ts)
    if (cs.proxy) printProxyStrings(cs.proxy, io)
    io.err(
      `proxy for "${target.name}" listening on 127.0.0.1:${status.port}${status.socketDir ? ` and ${status.socketDir}` : ''}; Ctrl-C stops it`,
    )
    let known = new Set<string>()
    const off = engine.bus.on('onProxyChanged', (s: ProxyStatus) => {
      if (s.targetId !== target.id) return
      const now = new Set(s.clients.map((c) => c.id))
      for (const c of s.clients)
        if (!known.has(c.id))
          io.err(`client connected: ${c.applicationName || '(no application_name)'} over ${c.transport}`)
      for (const id of known) if (!now.has(id)) io.err('client left')
      known = now
    })
    await stopped
    off()
    return 0
  } finally {
    await engine.close()
  }
}
