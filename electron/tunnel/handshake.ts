// Handshake payloads (docs/protocol.md §5): read the agent's HandshakeRequest and build our HandshakeResponse.
// Port sessions only request SessionType; anything else (KMSEncryption included, docs/protocol.md §5.4) is answered
// Unsupported with an Error, which the agent treats as a failed session rather than a silent hang.
import { CLIENT_VERSION } from './agent-version'

/** ActionStatus values of a ProcessedClientAction. */
export const ActionStatus = { Success: 1, Failed: 2, Unsupported: 3 } as const

export interface HandshakeRequest {
  agentVersion: string
  actions: Array<{ actionType: string; parameters: unknown }>
  /** SessionType action Properties (e.g. type, host, portNumber), when present. */
  properties: Record<string, string>
  sessionType: string | null
}

/** Parses a HandshakeRequest payload; null when it is not the expected JSON. */
export function parseHandshakeRequest(payload: Buffer): HandshakeRequest | null {
  let json: unknown
  try {
    json = JSON.parse(payload.toString('utf8'))
  } catch {
    return null
  }
  if (!json || typeof json !== 'object') return null
  const obj = json as { AgentVersion?: unknown; RequestedClientActions?: unknown }
  const list = Array.isArray(obj.RequestedClientActions) ? obj.RequestedClientActions : []
  const actions: HandshakeRequest['actions'] = []
  let properties: Record<string, string> = {}
  let sessionType: string | null = null
  for (const item of list) {
    if (!item || typeof item !== 'object') continue
    const a = item as { ActionType?: unknown; ActionParameters?: unknown }
    const actionType = typeof a.ActionType === 'string' ? a.ActionType : ''
    actions.push({ actionType, parameters: a.ActionParameters })
    if (actionType === 'SessionType' && a.ActionParameters && typeof a.ActionParameters === 'object') {
      const p = a.ActionParameters as { SessionType?: unknown; Properties?: unknown }
      if (typeof p.SessionType === 'string') sessionType = p.SessionType
      if (p.Properties && typeof p.Properties === 'object') {
        properties = Object.fromEntries(
          Object.entries(p.Properties as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
        )
      }
    }
  }
  return {
    agentVersion: typeof obj.AgentVersion === 'string' ? obj.AgentVersion : '',
    actions,
    properties,
    sessionType,
  }
}

/** Builds the HandshakeResponse JSON (docs/protocol.md §5.2), one ProcessedClientAction per requested action. */
export function buildHandshakeResponse(request: HandshakeRequest, clientVersion = CLIENT_VERSION): Buffer {
  const processed = request.actions.map((a) => {
    if (a.actionType === 'SessionType')
      return { ActionType: a.actionType, ActionStatus: ActionStatus.Success, ActionResult: null, Error: '' }
    const reason =
      a.actionType === 'KMSEncryption'
        ? 'KMS encryption is not supported for port forwarding sessions'
        : `Unsupported client action ${a.actionType || '(empty)'}`
    return {
      ActionType: a.actionType,
      ActionStatus: ActionStatus.Unsupported,
      ActionResult: null,
      Error: reason,
    }
  })
  return Buffer.from(
    JSON.stringify({ ClientVersion: clientVersion, ProcessedClientActions: processed, Errors: null }),
  )
}
