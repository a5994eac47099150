// Where Porthole keeps its files (targets, proxy secrets and pgpass, audit log, console history).
// One answer for every shell: the Electron app, the CLI and the loopback web server must share it,
// or a target saved in the app is missing from `porthole targets list` and a proxy string copied in
// one reads a secret the other never wrote. (Electron's own userData would be ~/.config/Porthole in
// a packaged build, named after productName, so the app sets its userData to this folder.)
import { homedir } from 'node:os'
import { join } from 'node:path'

/** PORTHOLE_HOME, else $XDG_CONFIG_HOME/porthole, else ~/.config/porthole. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PORTHOLE_HOME) return env.PORTHOLE_HOME
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'porthole')
}
