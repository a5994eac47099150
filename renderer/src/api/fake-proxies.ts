// The local auth proxy in the in-memory fake: ports pinned per target from 15432 up, one example
// client while listening, a fixed local secret and a short audit log, so the UI can be built and
// tested without sockets.
import { PortholeError } from '../../../shared/errors'
import type { EventName, EventPayload, PortholeHandlers } from '../../../shared/ipc/contract'
import type { AuditEntryInfo, ProxyStatus } from '../../../shared/ipc/proxy-models'
import type { Target, TargetId } from '../../../shared/target-schema'

type ProxyHandlers = Pick<
  PortholeHandlers,
  'startProxy' | 'stopProxy' | 'listProxies' | 'getProxySecret' | 'listAuditLog'
>

/** Builds the fake proxy handlers over the fake targets. */
export function createFakeProxies(
  getTarget: (id: TargetId) => Target | undefined,
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void,
): { handlers: ProxyHandlers; status(id: TargetId): ProxyStatus | undefined } {
  const proxies = new Map<TargetId, ProxyStatus>()
  const ports = new Map<TargetId, number>()
  const audit: AuditEntryInfo[] = []
  const need = (id: TargetId): Target => {
    const t = getTarget(id)
    if (!t) throw PortholeError.of('NOT_FOUND', `No saved target with id ${id}`)
    return t
  }
  const handlers: ProxyHandlers = {
    async startProxy({ targetId, port }) {
      const t = need(targetId)
      const pinned = port ?? ports.get(targetId) ?? 15432 + ports.size
      ports.set(targetId, pinned)
      const status: ProxyStatus = {
        targetId,
        state: 'listening',
        engine: t.engine,
        host: '127.0.0.1',
        port: pinned,
        socketDir: '/run/user/1000/porthole/pg',
        pgpassFile: '/home/you/.config/porthole/proxy/pgpass',
        user: t.dbUser,
        database: t.database,
        clients: [
          {
            id: 'c1',
            transport: 'tcp',
            user: t.dbUser,
            database: t.database,
            applicationName: 'psql',
            since: Date.now(),
            bytesIn: 4096,
            bytesOut: 512,
            sessionIds: ['fake-session'],
          },
        ],
        closeTunnelAfterMinutes: t.proxyCloseTunnelAfterMinutes ?? null,
        since: Date.now(),
        lastError: null,
      }
      proxies.set(targetId, status)
      emit('onProxyChanged', status)
      return status
    },
    async stopProxy({ targetId }) {
      const t = need(targetId)
      const prev = proxies.get(targetId)
      for (const c of prev?.clients ?? [])
        audit.unshift({
          kind: 'proxy-client',
          startedAt: new Date(c.since).toISOString(),
          endedAt: new Date().toISOString(),
          targetId,
          targetName: t.name,
          principalArn: 'arn:aws:iam::123456789012:user/demo',
          sessionIds: c.sessionIds,
          applicationName: c.applicationName,
          user: c.user,
          database: c.database,
          transport: c.transport,
          bytesIn: c.bytesIn,
          bytesOut: c.bytesOut,
          ended: 'proxy stopped',
        })
      const status: ProxyStatus = {
        ...(prev ?? (await handlers.startProxy({ targetId }))),
        state: 'stopped',
        port: null,
        socketDir: null,
        clients: [],
      }
      proxies.set(targetId, status)
      emit('onProxyChanged', status)
      return status
    },
    listProxies: async () => [...proxies.values()],
    getProxySecret: async ({ targetId }) => {
      need(targetId)
      return { secret: 'fake-local-secret-0123456789abcd' }
    },
    listAuditLog: async ({ limit }) => audit.slice(0, limit),
  }
  return { handlers, status: (id) => proxies.get(id) }
}
