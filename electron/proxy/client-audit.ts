// The audit entry of one proxy client that ended: fixed fields only (never a token, key, secret or
// query text), with the AWS principal the proxy acted as.
import type { AuditEntry } from './audit-log'
import type { ProxyClient } from './client-registry'

/** Builds the `proxy-client` entry for `client`, which ended `how` at `endedAt`. */
export function clientAuditEntry(
  target: { id: string; name: string },
  client: ProxyClient,
  how: string,
  endedAt: number,
  principalArn: string | null,
): AuditEntry {
  return {
    kind: 'proxy-client',
    startedAt: new Date(client.since).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    targetId: target.id,
    targetName: target.name,
    principalArn,
    sessionIds: client.sessionIds,
    applicationName: client.applicationName,
    user: client.user,
    database: client.database,
    transport: client.transport,
    bytesIn: client.bytesIn,
    bytesOut: client.bytesOut,
    ended: how,
  }
}
