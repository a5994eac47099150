// The logger shape the simulator writes to. The simulator imports nothing from electron/: any
// object with these methods fits (the app's scrubbing logger does, structurally).

/** The simulator's log sink; it is never handed a secret to log. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  /** A logger for a sub-scope (gate, agent, api) writing to the same place. */
  child(scope: string): Logger
}

/** Drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
}
