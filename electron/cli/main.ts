// The `porthole` CLI: one module per command group under commands/, registered here. Every command
// drives the same engine as the app. Errors become one line on stderr and a non-zero exit code.
import type { Target } from '../../shared/target-schema'
import { type CliIo, findTarget, oneLine, openEngine, openStore, stdio, VERSION } from './cli-context'
import { CONNECT_USAGE, runConnectCommand, type TunnelControl } from './commands/connect'
import { runSimCommand } from './commands/sim'
import { runStartCommand } from './commands/start'
import { runTargetsCommand, TARGETS_USAGE } from './commands/targets'
import { runUrlCommand, URL_USAGE } from './commands/url'

type Command = (argv: string[], io: CliIo) => Promise<number>

const connect: Command = async (argv, io) => {
  const store = openStore()
  const engine = openEngine(store, 'cli')
  // The connect command drives tunnels through the engine's own handlers and events.
  const tunnels: TunnelControl = {
    connect: (t: Target) => engine.handlers.connectTarget({ targetId: t.id }),
    disconnect: (id) => engine.handlers.disconnectTarget({ targetId: id }),
    onStatus: (listener) => engine.bus.on('onTunnelChanged', listener),
  }
  try {
    return await runConnectCommand(argv, {
      findTarget: async (n) => findTarget(await store.list(), n),
      tunnels,
      out: io.out,
      err: io.err,
    })
  } finally {
    await engine.close()
  }
}

export const COMMANDS: Record<string, Command> = {
  targets: runTargetsCommand,
  start: runStartCommand,
  connect,
  url: runUrlCommand,
  sim: runSimCommand,
}

export const USAGE = `Porthole ${VERSION}: private RDS through SSM Session Manager and IAM auth.

${TARGETS_USAGE}
       porthole start [--web] [--port N]     the app (a browser UI on 127.0.0.1 where Electron cannot run)
       ${CONNECT_USAGE.replace('usage: ', '')}  open a tunnel until Ctrl-C
       ${URL_USAGE.replace('usage: ', '')}
       porthole sim [--upstream auto|postgres|pglite]   run the AWS simulator standalone

Data dir: $PORTHOLE_HOME, else $XDG_CONFIG_HOME/porthole, else ~/.config/porthole.`

/** Runs the CLI; resolves with the exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE)
    return name ? 0 : 2
  }
  if (name === '--version' || name === 'version') {
    io.out(VERSION)
    return 0
  }
  const command = COMMANDS[name]
  if (!command) {
    io.err(`porthole: unknown command "${name}" (see: porthole help)`)
    return 2
  }
  try {
    return await command(rest, io)
  } catch (err) {
    const usage = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')
    io.err(`porthole: ${name}${rest[0] && !rest[0].startsWith('-') ? ` ${rest[0]}` : ''}: ${oneLine(err)}`)
    return usage ? 2 : 1
  }
}
