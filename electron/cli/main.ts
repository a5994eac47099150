// The `porthole` CLI: one module per command group under commands/, registered here. Every command
// drives the same engine as the app. Errors become one line on stderr and a non-zero exit code.
import type { Target } from '../../shared/target-schema'
import { type CliIo, findTarget, oneLine, openEngine, openStore, stdio, VERSION } from './cli-context'
import { runConnectCommand, type TunnelControl } from './commands/connect'
import { runTargetsCommand } from './commands/targets'
import { COMMAND_USAGE, overallUsage, TARGETS_SUB_USAGE } from './usage'

type Command = (argv: string[], io: CliIo) => Promise<number>

const connect: Command = async (argv, io) => {
  const store = openStore()
  // Tunnels only: the user's own client (psql, an app) connects through the tunnel, never our pool.
  const engine = await openEngine(store, 'cli', { tunnelsOnly: true })
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

// Commands beyond targets and connect load when they run: the bridge, the Electron launcher, the
// simulator, the proxy and connection strings are no part of every command's start.
export const COMMANDS: Record<string, Command> = {
  targets: runTargetsCommand,
  start: async (argv, io) => (await import('./commands/start')).runStartCommand(argv, io),
  connect,
  url: async (argv, io) => (await import('./commands/url')).runUrlCommand(argv, io),
  proxy: async (argv, io) => (await import('./commands/proxy')).runProxyCommand(argv, io),
  sim: async (argv, io) => (await import('./commands/sim')).runSimCommand(argv, io),
  login: async (argv, io) => (await import('./commands/login')).runLoginCommand(argv, io),
}

export const USAGE = overallUsage(VERSION)

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
  // Own keys only: `constructor` or `toString` must not reach Object.prototype (issue 11 item 5).
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!command) {
    io.err(`porthole: unknown command "${name}"\n\n${USAGE}`)
    return 2
  }
  if (wantsHelp(rest)) {
    io.out(usageFor(name, rest[0]))
    return 0
  }
  try {
    return await command(rest, io)
  } catch (err) {
    const usage = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')
    io.err(`porthole: ${name}${rest[0] && !rest[0].startsWith('-') ? ` ${rest[0]}` : ''}: ${oneLine(err)}`)
    return usage ? 2 : 1
  }
}

/** `--help` or `-h` anywhere before a `--` terminator asks for usage, never runs the command. */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--')
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h')
}

/** The usage of a command, narrowed to the subcommand for `targets <sub> --help`. */
function usageFor(name: string, sub: string | undefined): string {
  if (name === 'targets' && sub && Object.hasOwn(TARGETS_SUB_USAGE, sub)) {
    return `usage: ${TARGETS_SUB_USAGE[sub]}`
  }
  return COMMAND_USAGE[name] ?? USAGE
}
