// The `porthole` CLI: one module per command group under commands/, registered here. Every command
// drives the same engine as the app. Errors become one line on stderr and a non-zero exit code.
import type { Target } from '../../shared/target-schema'
import { type CliIo, findTarget, oneLine, openEngine, openStore, stdio, VERSION } from './cli-context'
import { CONNECT_USAGE, runConnectCommand, type TunnelControl } from './commands/connect'
import { PROXY_USAGE, runProxyCommand } from './commands/proxy'
import { runTargetsCommand, TARGETS_SUB_USAGE, TARGETS_USAGE } from './commands/targets'
import { runUrlCommand, URL_USAGE } from './commands/url'

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

// start and sim load the bridge, Electron launcher and simulator only when they run.
export const COMMANDS: Record<string, Command> = {
  targets: runTargetsCommand,
  start: async (argv, io) => (await import('./commands/start')).runStartCommand(argv, io),
  connect,
  url: runUrlCommand,
  proxy: runProxyCommand,
  sim: async (argv, io) => (await import('./commands/sim')).runSimCommand(argv, io),
  login: async (argv, io) => (await import('./commands/login')).runLoginCommand(argv, io),
}

const START_USAGE = 'usage: porthole start [--web] [--port N]'
const SIM_USAGE = 'usage: porthole sim [--upstream auto|postgres|pglite] [--verbose]'
// Kept here (not imported) so `porthole --help` does not load the AWS SDK; login.ts says the same.
const LOGIN_USAGE = 'usage: porthole login <profile> [--force]'

/** Each command's usage, printed by `porthole <command> --help`. */
const COMMAND_USAGE: Record<string, string> = {
  targets: TARGETS_USAGE,
  start: START_USAGE,
  connect: CONNECT_USAGE,
  url: URL_USAGE,
  proxy: PROXY_USAGE,
  sim: SIM_USAGE,
  login: LOGIN_USAGE,
}

export const USAGE = `Porthole ${VERSION}: private RDS through SSM Session Manager and IAM auth.

${TARGETS_USAGE}
       porthole start [--web] [--port N]     the app (a browser UI on 127.0.0.1 where Electron cannot run)
       ${CONNECT_USAGE.replace('usage: ', '')}  open a tunnel until Ctrl-C
       ${URL_USAGE.replace('usage: ', '')}
       ${PROXY_USAGE.replace('usage: ', '')}   tunnel + local auth proxy until Ctrl-C
       porthole sim [--upstream auto|postgres|pglite]   run the AWS simulator standalone
       ${LOGIN_USAGE.replace('usage: ', '')}   sign in to IAM Identity Center (shares aws sso login's cache)

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
