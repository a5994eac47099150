// The SsmSessionApi port over @aws-sdk/client-ssm, with SSM's failures turned into PortholeErrors.
// The SDK's standard retry strategy already retries throttling and transient faults.
import {
  ResumeSessionCommand,
  SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm'
import { PortholeError } from '../../shared/errors'
import type { SsmSessionApi } from '../tunnel/ssm-session-api'
import { mapServiceError, regionMissing } from './aws-errors'
import type { CredentialProvider } from './credentials'

export interface SsmSessionApiOptions {
  region: string
  endpoint?: string
  credentials: CredentialProvider
  /** Named in credential errors. */
  profile?: string
  maxAttempts?: number
}

function errName(err: unknown): string {
  return err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : ''
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Maps a StartSession/ResumeSession/TerminateSession failure; `target` names the instance. */
export function mapSsmError(err: unknown, target: string | undefined, profile?: string): PortholeError {
  const name = errName(err)
  if (name === 'TargetNotConnected') {
    return PortholeError.of(
      'TARGET_NOT_CONNECTED',
      `Instance ${target ?? '(unknown)'} is not connected to Systems Manager.`,
      {
        hint: 'Check that the SSM agent runs on the instance, that its instance profile allows SSM (AmazonSSMManagedInstanceCore), and that it can reach the SSM endpoints.',
      },
    )
  }
  if (name === 'InvalidDocument') {
    return PortholeError.of('INVALID_DOCUMENT', `SSM rejected the session document: ${errMessage(err)}`, {
      hint: 'Port forwarding needs AWS-StartPortForwardingSessionToRemoteHost (SSM agent 3.1.1374.0 or newer).',
    })
  }
  if (name === 'DoesNotExistException' || name === 'InvalidInstanceId') {
    return PortholeError.of('NOT_FOUND', `SSM does not know ${target ?? 'this target'}: ${errMessage(err)}`)
  }
  return mapServiceError(err, profile)
}

/** Creates the SSM session API for one region/endpoint/credential set. */
export function createSsmSessionApi(options: SsmSessionApiOptions): SsmSessionApi & { destroy(): void } {
  if (!options.region) throw regionMissing()
  const client = new SSMClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: (identity) => options.credentials(identity),
    maxAttempts: options.maxAttempts ?? 4,
  })
  // ResumeSession answers an empty TokenValue when the session has already ended (timed out);
  // the tunnel reports that as "session timed out", so only StartSession requires a token.
  const session = (
    out: { SessionId?: string; StreamUrl?: string; TokenValue?: string },
    requireToken = true,
  ) => {
    if (!out.SessionId || (requireToken && (!out.StreamUrl || !out.TokenValue)))
      throw PortholeError.of('INTERNAL', 'SSM answered without SessionId, StreamUrl or TokenValue.')
    return { sessionId: out.SessionId, streamUrl: out.StreamUrl ?? '', tokenValue: out.TokenValue ?? '' }
  }
  return {
    async startSession(input) {
      try {
        const out = await client.send(
          new StartSessionCommand({
            Target: input.target,
            DocumentName: input.documentName,
            Parameters: input.parameters,
            Reason: input.reason,
          }),
        )
        return session(out)
      } catch (err) {
        throw mapSsmError(err, input.target, options.profile)
      }
    },
    async resumeSession(sessionId) {
      try {
        return session(await client.send(new ResumeSessionCommand({ SessionId: sessionId })), false)
      } catch (err) {
        throw mapSsmError(err, undefined, options.profile)
      }
    },
    async terminateSession(sessionId) {
      try {
        await client.send(new TerminateSessionCommand({ SessionId: sessionId }))
      } catch (err) {
        throw mapSsmError(err, undefined, options.profile)
      }
    },
    destroy() {
      client.destroy()
    },
  }
}
