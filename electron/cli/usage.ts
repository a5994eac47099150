// Every command's usage text, in one module that imports nothing: `porthole --help` and
// `porthole <command> --help` print from here without loading any command, and each command
// prints the same text on a usage error, so the two can never disagree.

/** Usage of each `targets` subcommand; `porthole targets <sub> --help` prints its entry. */
export const TARGETS_SUB_USAGE: Record<string, string> = {
  list: 'porthole targets list [--json]',
  add: `porthole targets add --name N --region R --instance I --host H [--port 5432] --database D --user U
                            [--profile P] [--local-port 0] [--endpoint-url URL] [--ca-file F] [--engine postgres]
                            [--tag T ...] [--color C] [--pool N] [--backend native|plugin] [--json]`,
  rm: 'porthole targets rm <name|id>',
  import: 'porthole targets import <file|-> [--dry-run]   shows what would be added/updated/unchanged',
  export: 'porthole targets export',
  demo: 'porthole targets demo          add the Demo (simulated AWS) targets (MySQL too when MariaDB runs)',
}

export const TARGETS_USAGE = `usage: ${Object.values(TARGETS_SUB_USAGE).join('\n       ')}`
export const START_USAGE = 'usage: porthole start [--web] [--port N] [--verbose]'
export const CONNECT_USAGE = 'usage: porthole connect <target name or id>'
export const URL_USAGE = 'usage: porthole url <target name or id> [--with-token] [--once] [--json]'
export const PROXY_USAGE = 'usage: porthole proxy <target name or id> [--port N]'
export const SIM_USAGE = `usage: porthole sim [--upstream auto|postgres|pglite] [--json] [--verbose]
         [--forward name[:port]=127.0.0.1:port ...]   more hosts the simulated instance can reach
         [--drop-after N]          cut the WebSocket once after N client data messages (ResumeSession heals it)
         [--idle-timeout T]        service idle timeout (default 20m)
         [--max-duration T]        service max session duration (default none)
         [--latency T]             one-way latency on every WebSocket message
       T is a number with ms, s or m (bare numbers are milliseconds).`
export const LOGIN_USAGE = 'usage: porthole login <profile> [--force]'

/** Each command's usage, printed by `porthole <command> --help`. */
export const COMMAND_USAGE: Record<string, string> = {
  targets: TARGETS_USAGE,
  start: START_USAGE,
  connect: CONNECT_USAGE,
  url: URL_USAGE,
  proxy: PROXY_USAGE,
  sim: SIM_USAGE,
  login: LOGIN_USAGE,
}

/** One line per command for `porthole --help`: the usage without its "usage: ", and what it does. */
const summary = (usage: string, what = '') => `${usage.split('\n')[0]!.replace('usage: ', '')}${what}`

/** `porthole --help`. */
export function overallUsage(version: string): string {
  return `Porthole ${version}: private RDS through SSM Session Manager and IAM auth.

${TARGETS_USAGE}
       ${summary(START_USAGE, '   the app (a browser UI on 127.0.0.1 where Electron cannot run)')}
       ${summary(CONNECT_USAGE, '  open a tunnel until Ctrl-C')}
       ${summary(URL_USAGE)}
       ${summary(PROXY_USAGE, '   tunnel + local auth proxy until Ctrl-C')}
       ${summary(SIM_USAGE, '   run the AWS simulator standalone')}
       ${summary(LOGIN_USAGE, "   sign in to IAM Identity Center (shares aws sso login's cache)")}

Data dir: $PORTHOLE_HOME, else $XDG_CONFIG_HOME/porthole, else ~/.config/porthole.`
}
