// The SSM operations a port-forwarding client uses, with the validation and error wording of the
// real service (JSON 1.1 protocol, spec docs/protocol.md §1 and docs/rds-iam.md §D.3).
import { randomBytes } from 'node:crypto'
import type { StreamService } from '../agent'
import { principalName, type SimIam, type SimPrincipal } from '../iam'
import { ApiError } from './sigv4-verify'

export const PORT_DOCUMENTS = ['AWS-StartPortForwardingSessionToRemoteHost', 'AWS-StartPortForwardingSession']

export interface SimInstance {
  instanceId: string
  agentVersion: string
  online: boolean
}

export interface SsmContext {
  region: string
  accountId: string
  iam: SimIam
  agent: StreamService
  instances: Map<string, SimInstance>
  /** StreamUrl per session: ResumeSession hands back the same one (the plugin reuses it too). */
  streamUrls: Map<string, string>
}

type Json = Record<string, unknown>

function requireString(body: Json, field: string, min: number, max: number): string {
  const v = body[field]
  if (typeof v !== 'string' || v.length < min || v.length > max)
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must have length between ${min} and ${max}`,
    )
  return v
}

function parseParameters(raw: unknown): Record<string, string[]> {
  if (raw === undefined) return {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ApiError(
      'ValidationException',
      'Parameters must be a map of parameter names to lists of strings.',
    )
  const out: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
      throw new ApiError('ValidationException', `Parameter "${k}" must be a list of strings.`)
    out[k] = v
  }
  return out
}

function authorize(ctx: SsmContext, p: SimPrincipal, action: string, resource: string): void {
  if (!ctx.iam.isAllowed(p, action, resource))
    throw new ApiError(
      'AccessDeniedException',
      `User: ${p.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    )
}

const sessionArn = (ctx: SsmContext, id: string) => `arn:aws:ssm:${ctx.region}:${ctx.accountId}:session/${id}`

/** Runs one SSM operation; throws ApiError for every refusal. */
export function runSsmOperation(ctx: SsmContext, op: string, body: Json, principal: SimPrincipal): Json {
  switch (op) {
    case 'StartSession': {
      const target = requireString(body, 'Target', 1, 400)
      const documentName =
        typeof body.DocumentName === 'string' ? body.DocumentName : 'SSM-SessionManagerRunShell'
      const parameters = parseParameters(body.Parameters)
      authorize(
        ctx,
        principal,
        'ssm:StartSession',
        `arn:aws:ec2:${ctx.region}:${ctx.accountId}:instance/${target}`,
      )
      authorize(ctx, principal, 'ssm:StartSession', `arn:aws:ssm:${ctx.region}::document/${documentName}`)
      if (!PORT_DOCUMENTS.includes(documentName))
        throw new ApiError('InvalidDocument', "The specified SSM document doesn't exist.")
      const instance = ctx.instances.get(target)
      if (!instance?.online) throw new ApiError('TargetNotConnected', `${target} is not connected.`)
      const port = parameters.portNumber?.[0] ?? '80'
      if (!/^\d{1,5}$/.test(port) || Number(port) > 65535)
        throw new ApiError('InvalidParameters', 'portNumber must be a port number between 1 and 65535.')
      if (documentName === PORT_DOCUMENTS[0] && !parameters.host?.[0])
        throw new ApiError(
          'InvalidParameters',
          'The host parameter is required for AWS-StartPortForwardingSessionToRemoteHost.',
        )
      const sessionId = `${principalName(principal.arn)}-${randomBytes(9).toString('hex').slice(0, 17)}`
      const tokenValue = randomBytes(96).toString('base64url')
      const { streamUrl } = ctx.agent.registerSession({
        sessionId,
        tokenValue,
        target,
        documentName,
        parameters: { portNumber: [port], localPortNumber: ['0'], ...parameters },
        agentVersion: instance.agentVersion,
      })
      ctx.streamUrls.set(sessionId, streamUrl)
      return { SessionId: sessionId, TokenValue: tokenValue, StreamUrl: streamUrl }
    }
    case 'ResumeSession': {
      const id = requireString(body, 'SessionId', 1, 96)
      authorize(ctx, principal, 'ssm:ResumeSession', sessionArn(ctx, id))
      const info = ctx.agent.sessionInfo(id)
      if (!ctx.agent.hasSession(id) || !info)
        throw new ApiError('DoesNotExistException', `Session ${id} does not exist.`)
      // An ended session answers with an empty token: the client then knows it timed out.
      const token = info.ended ? '' : ctx.agent.newToken(id)
      return { SessionId: id, TokenValue: token, StreamUrl: ctx.streamUrls.get(id) ?? '' }
    }
    case 'TerminateSession': {
      const id = requireString(body, 'SessionId', 1, 96)
      authorize(ctx, principal, 'ssm:TerminateSession', sessionArn(ctx, id))
      if (ctx.agent.hasSession(id) && !ctx.agent.sessionInfo(id)?.ended) ctx.agent.terminate(id)
      return { SessionId: id }
    }
    default:
      throw new ApiError('UnknownOperationException', `Unknown operation ${op}`)
  }
}
