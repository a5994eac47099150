// How the plugin picks basic vs mux and smux keepalive from the agent's AgentVersion (docs/protocol.md §6.1,
// [P] version/versionutil.go). Both sides decide independently, so this must mirror the plugin.

/** Last agent version with basic port forwarding only. */
export const BASIC_MAX_AGENT_VERSION = '3.0.196.0'
/** Last agent version whose smux keepalive is on (client must send NOP every 10 s). */
export const KEEPALIVE_MAX_AGENT_VERSION = '3.1.1511.0'
/** Last agent version that needs the TerminateSession API instead of the flag (basic mode). */
export const TERMINATE_FLAG_MIN_AGENT_VERSION = '2.3.722.0'
/** What we report as ClientVersion: > 1.2.331.0 so the agent picks mux and turns keepalive off (docs/protocol.md §13.1). */
export const CLIENT_VERSION = '1.2.650.0'

/**
 * The plugin's comparison: split on ".", same number of components, every component a
 * non-negative integer, and `version` strictly greater than `base`. Anything else is false.
 */
export function isVersionGreater(version: string, base: string): boolean {
  const a = version.split('.')
  const b = base.split('.')
  if (a.length !== b.length) return false
  if (![...a, ...b].every((part) => /^\d+$/.test(part))) return false
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i])
    const y = Number(b[i])
    if (x !== y) return x > y
  }
  return false
}

export interface ModeChoice {
  mode: 'basic' | 'mux'
  /** Mux only: send smux NOP every 10 s because the agent's keepalive is on. */
  keepalive: boolean
}

/** Chooses the data-channel mode for a LocalPortForwarding session as the plugin does. */
export function chooseMode(agentVersion: string): ModeChoice {
  if (!isVersionGreater(agentVersion, BASIC_MAX_AGENT_VERSION)) return { mode: 'basic', keepalive: false }
  return { mode: 'mux', keepalive: !isVersionGreater(agentVersion, KEEPALIVE_MAX_AGENT_VERSION) }
}

/** Basic mode: whether the agent understands the TerminateSession flag (else call the API). */
export function supportsTerminateFlag(agentVersion: string): boolean {
  return isVersionGreater(agentVersion, TERMINATE_FLAG_MIN_AGENT_VERSION)
}
