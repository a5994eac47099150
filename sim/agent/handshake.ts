// Handshake payloads of the agent (docs/protocol.md §5): the HandshakeRequest it sends and the checks it
// applies to the client's HandshakeResponse.
import type { SessionRegistration } from './types'

/** HandshakeRequest JSON (docs/protocol.md §5.1) with Properties keys sorted, as Go marshals a map. */
export function handshakeRequestPayload(agentVersion: string, properties: Record<string, string>): Buffer {
  const sorted: Record<string, string> = {}
  for (const k of Object.keys(properties).sort()) sorted[k] = properties[k] as string
  return Buffer.from(
    JSON.stringify({
      AgentVersion: agentVersion,
      RequestedClientActions: [
        { ActionType: 'SessionType', ActionParameters: { SessionType: 'Port', Properties: sorted } },
      ],
    }),
  )
}

/** Outcome of checking a HandshakeResponse. */
export type HandshakeResult = { ok: true; clientVersion: string } | { ok: false; error: string }

/** The agent fails the session if any ProcessedClientAction has ActionStatus ≠ 1 (docs/protocol.md §5.2). */
export function parseHandshakeResponse(payload: Buffer): HandshakeResult {
  let json: { ClientVersion?: unknown; ProcessedClientActions?: unknown }
  try {
    json = JSON.parse(payload.toString('utf8'))
  } catch {
    return { ok: false, error: 'HandshakeResponse is not JSON' }
  }
  const actions = json.ProcessedClientActions
  if (!Array.isArray(actions)) return { ok: false, error: 'no ProcessedClientActions' }
  for (const a of actions as Array<{ ActionType?: unknown; ActionStatus?: unknown; Error?: unknown }>) {
    if (a?.ActionStatus !== 1)
      return { ok: false, error: `${String(a?.ActionType)} failed with status ${String(a?.ActionStatus)}` }
  }
  return { ok: true, clientVersion: typeof json.ClientVersion === 'string' ? json.ClientVersion : '' }
}

/** Handshake Properties from the document parameters (first value each; AWS document defaults). */
export function documentProperties(reg: SessionRegistration): Record<string, string> {
  const first = (k: string, d: string) => reg.parameters[k]?.[0] ?? d
  const props: Record<string, string> = {
    localPortNumber: first('localPortNumber', '0'),
    portNumber: first('portNumber', '80'),
    type: 'LocalPortForwarding',
  }
  if (reg.documentName === 'AWS-StartPortForwardingSessionToRemoteHost') props.host = first('host', '')
  return props
}
