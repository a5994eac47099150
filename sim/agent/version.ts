// The agent's mode decision from the client's reported version (docs/protocol.md §6.1, [A] port.go).

/**
 * Component-wise version compare like the agent's versionutil: numeric where both parts are
 * numbers, otherwise string order; with an equal prefix the side with fewer parts is smaller.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.')
  const pb = b.split('.')
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string
    const y = pb[i] as string
    const nx = Number(x)
    const ny = Number(y)
    const c =
      x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y)
    if (c !== 0) return Math.sign(c)
  }
  return Math.sign(pa.length - pb.length)
}

/** What the agent runs for this session. */
export interface AgentMode {
  mode: 'mux' | 'basic'
  keepalive: boolean
}

/**
 * The agent's choice (docs/protocol.md §6.1). The ClientVersion rules come from [A] port.go: mux iff
 * LocalPortForwarding and ClientVersion ≥ 1.1.70; keepalive iff ClientVersion ≤ 1.2.331.0. The
 * simulated AgentVersion also matters, mirroring the plugin's thresholds: agents ≤ 3.0.196.0 have
 * no mux at all, and agents ≤ 3.1.1511.0 predate the keepalive opt-out, so keep it on.
 */
export function decideMode(type: string | undefined, clientVersion: string, agentVersion: string): AgentMode {
  const agentHasMux = compareVersions(agentVersion, '3.0.196.0') > 0
  const mux = agentHasMux && type === 'LocalPortForwarding' && compareVersions(clientVersion, '1.1.70') >= 0
  const oldAgent = compareVersions(agentVersion, '3.1.1511.0') <= 0
  return {
    mode: mux ? 'mux' : 'basic',
    keepalive: mux && (oldAgent || compareVersions(clientVersion, '1.2.331.0') <= 0),
  }
}
