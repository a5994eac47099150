// The agent's mode decision from the client's reported version (spec §6.1, [A] port.go).

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

/** mux iff LocalPortForwarding and ClientVersion ≥ 1.1.70; keepalive iff ClientVersion ≤ 1.2.331.0. */
export function decideMode(type: string | undefined, clientVersion: string): AgentMode {
  const mux = type === 'LocalPortForwarding' && compareVersions(clientVersion, '1.1.70') >= 0
  return { mode: mux ? 'mux' : 'basic', keepalive: mux && compareVersions(clientVersion, '1.2.331.0') <= 0 }
}
