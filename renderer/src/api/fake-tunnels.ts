// Simulated tunnels for the fake API: the same state sequence and events the engine sends
// (starting → open, closing → closed, failed with an explanation), plus traffic counters that move.
import { PortholeError } from '../../../shared/errors'
import type { EventName, EventPayload, PortholeHandlers } from '../../../shared/ipc/contract'
import type { MfaPrompt, TunnelStatus } from '../../../shared/ipc/models'
import type { Target, TargetId } from '../../../shared/target-schema'

type Handlers = Pick<
  PortholeHandlers,
  'connectTarget' | 'disconnectTarget' | 'listTunnels' | 'answerMfaPrompt' | 'getConnectionStrings'
>
type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void

/** Instances whose id starts with this are "not connected to Systems Manager" in the fake. */
export const OFFLINE_INSTANCE_PREFIX = 'i-0000'
/** The profile that asks for an MFA code in the fake. */
export const MFA_PROFILE = 'mfa'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Creates the fake tunnel manager. `getTarget` throws NOT_FOUND for unknown ids. */
export function createFakeTunnels(getTarget: (id: string) => Target, emit: Emit, stepMs: number) {
  const tunnels = new Map<string, TunnelStatus>()
  const prompts = new Map<string, (code: string) => void>()
  let nextPort = 54320

  const set = (id: TargetId, patch: Partial<TunnelStatus>): TunnelStatus => {
    const prev = tunnels.get(id) ?? blank(id)
    const next = {
      ...prev,
      ...patch,
      since: patch.state && patch.state !== prev.state ? Date.now() : prev.since,
    }
    tunnels.set(id, next)
    emit('onTunnelChanged', next)
    return next
  }

  const askMfa = (target: Target): Promise<string> => {
    const prompt: MfaPrompt = {
      promptId: `mfa-${Math.random().toString(36).slice(2, 10)}`,
      profile: target.awsProfile ?? 'default',
      mfaSerial: 'arn:aws:iam::123456789012:mfa/dev-user',
    }
    return new Promise((resolve) => {
      prompts.set(prompt.promptId, resolve)
      emit('onMfaPrompt', prompt)
    })
  }

  // Traffic ticks once a second on open tunnels, as if a client were polling.
  const ticker = setInterval(() => {
    for (const t of tunnels.values()) {
      if (t.state === 'open' && t.openStreams > 0) {
        set(t.targetId, { bytesIn: t.bytesIn + 2048, bytesOut: t.bytesOut + 512 })
      }
    }
  }, 1000)

  const fail = (id: TargetId, err: PortholeError): never => {
    set(id, { state: 'failed', lastError: err.info, localPort: null, sessionIds: [], openStreams: 0 })
    throw err
  }

  const handlers: Handlers = {
    listTunnels: async () => [...tunnels.values()],
    connectTarget: async ({ targetId }) => {
      const target = getTarget(targetId)
      const cur = tunnels.get(targetId)
      if (cur && ['starting', 'open', 'resuming'].includes(cur.state)) {
        throw PortholeError.of('CONFLICT', 'A tunnel is already open for this target')
      }
      set(targetId, { state: 'starting', lastError: null, endReason: null })
      if (target.awsProfile === MFA_PROFILE) {
        const code = await askMfa(target)
        if (!code) {
          return fail(
            targetId,
            PortholeError.of('MFA_REQUIRED', 'An MFA code is needed for profile "mfa"', {
              hint: 'Connect again and enter the 6-digit code from your authenticator.',
              resolvableByLogin: true,
            }),
          )
        }
      }
      await sleep(stepMs * 3)
      if (target.instanceId.startsWith(OFFLINE_INSTANCE_PREFIX)) {
        return fail(
          targetId,
          PortholeError.of(
            'TARGET_NOT_CONNECTED',
            `Instance ${target.instanceId} is not connected to Systems Manager`,
            {
              hint: 'Check that the SSM agent runs on the instance and that it has an instance profile with AmazonSSMManagedInstanceCore.',
            },
          ),
        )
      }
      const now = Date.now()
      return set(targetId, {
        state: 'open',
        localPort: target.localPort || nextPort++,
        sessionIds: ['porthole-dev-0a1b2c3d4e5f67890'],
        mode: 'mux',
        agentVersion: '3.3.1611.0',
        openedAt: now,
        tokenIssuedAt: now,
        openStreams: 1,
        bytesIn: 4096,
        bytesOut: 1024,
      })
    },
    disconnectTarget: async ({ targetId }) => {
      getTarget(targetId)
      const cur = tunnels.get(targetId)
      if (!cur || cur.state === 'closed' || cur.state === 'idle') return cur ?? blank(targetId)
      set(targetId, { state: 'closing' })
      await sleep(stepMs)
      return set(targetId, {
        state: 'closed',
        localPort: null,
        openStreams: 0,
        sessionIds: [],
        endReason: 'closed by user',
      })
    },
    answerMfaPrompt: async ({ promptId, code }) => {
      const resolve = prompts.get(promptId)
      if (!resolve) throw PortholeError.of('NOT_FOUND', 'That MFA prompt is no longer open')
      prompts.delete(promptId)
      resolve(code)
      return { accepted: code !== '' }
    },
    getConnectionStrings: async ({ targetId, withToken }) => {
      const target = getTarget(targetId)
      const port = requireOpen(targetId).localPort
      const base = `host=127.0.0.1 port=${port} dbname=${target.database} user=${target.dbUser} sslmode=verify-full`
      const token = `${target.rdsHost}:${target.rdsPort}/?Action=connect&DBUser=${target.dbUser}&X-Amz-Signature=fake`
      return {
        psql: `psql "${base} sslrootcert=/tmp/porthole/rds-ca.pem"`,
        uri: `postgresql://${target.dbUser}@127.0.0.1:${port}/${target.database}?sslmode=verify-full&sslrootcert=/tmp/porthole/rds-ca.pem`,
        env: [
          `export PGHOST=${target.rdsHost}`,
          'export PGHOSTADDR=127.0.0.1',
          `export PGPORT=${port}`,
          `export PGDATABASE=${target.database}`,
          `export PGUSER=${target.dbUser}`,
          'export PGSSLMODE=verify-full',
        ].join('\n'),
        jdbc: `jdbc:postgresql://127.0.0.1:${port}/${target.database}?user=${target.dbUser}&ssl=true&sslmode=verify-ca`,
        caFile: '/tmp/porthole/rds-ca.pem',
        notes: ['JDBC verifies the CA only (verify-ca): the host name is 127.0.0.1, not the RDS endpoint.'],
        withToken: withToken
          ? {
              psql: `PGPASSWORD='${token}' psql "${base}"`,
              env: `export PGPASSWORD='${token}'`,
              expiresAt: Date.now() + 15 * 60_000,
              warning:
                'This token is a password valid for up to 15 minutes. Do not paste it into chats or tickets.',
            }
          : null,
      }
    },
  }

  function requireOpen(id: TargetId): TunnelStatus {
    const t = tunnels.get(id)
    if (t?.state !== 'open') {
      throw PortholeError.of('TUNNEL_NOT_OPEN', 'The tunnel for this target is not open', {
        hint: 'Click Connect first.',
      })
    }
    return t
  }

  /** Closes a target's tunnel before it is deleted. */
  const forget = async (id: TargetId): Promise<void> => {
    tunnels.delete(id)
  }
  const dispose = (): void => clearInterval(ticker)
  return { handlers, requireOpen, forget, dispose }
}

function blank(targetId: TargetId): TunnelStatus {
  return {
    targetId,
    state: 'idle',
    localPort: null,
    sessionIds: [],
    mode: null,
    agentVersion: null,
    bytesIn: 0,
    bytesOut: 0,
    openStreams: 0,
    since: Date.now(),
    openedAt: null,
    tokenIssuedAt: null,
    lastError: null,
    endReason: null,
  }
}
