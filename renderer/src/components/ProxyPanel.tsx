// The selected target's local auth proxy: start/stop, where it listens, how local clients
// authenticate (the local secret, shown only on request), the clients connected now, and the audit
// log. Everything shown is what the engine pushed; the renderer computes nothing.
import { useState } from 'react'
import type { AuditEntryInfo } from '../../../shared/ipc/proxy-models'
import type { Target } from '../../../shared/target-schema'
import { formatBytes, formatDuration } from '../format'
import { useAppContext } from '../hooks/useAppContext'
import { useNow } from '../hooks/useNow'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { errorInfoOf } from '../services/errors'
import { ErrorNote } from './ErrorNote'

/** Proxy strip shown under the tunnel panel. */
export function ProxyPanel({ target }: { target: Target }) {
  const ctx = useAppContext()
  const status = useStoreSelector(ctx.proxies.store, (s) => s.byTarget[target.id] ?? null)
  const pending = useStoreSelector(ctx.proxies.store, (s) => s.pending[target.id] ?? null)
  const callError = useStoreSelector(ctx.proxies.store, (s) => s.callErrors[target.id] ?? null)
  const [secret, setSecret] = useState<string | null>(null)
  const listening = status?.state === 'listening'
  const now = useNow(listening && (status?.clients.length ?? 0) > 0)
  const error = callError ?? (status?.state === 'failed' ? status.lastError : null)

  const copySecret = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(await ctx.proxies.secret(target.id))
      ctx.ui.toast('Local secret copied')
    } catch (err) {
      ctx.ui.toast(`Could not copy the secret: ${errorInfoOf(err).message}`, 'error')
    }
  }
  const toggleSecret = async (): Promise<void> => {
    if (secret !== null) return setSecret(null)
    try {
      setSecret(await ctx.proxies.secret(target.id))
    } catch (err) {
      ctx.ui.toast(errorInfoOf(err).message, 'error')
    }
  }

  return (
    <section className="proxy-panel" aria-label="Local auth proxy" data-testid="proxy-panel">
      <div className="proxy-head">
        <h2>Local auth proxy</h2>
        <span className="muted small" data-testid="proxy-state">
          {status?.state ?? 'stopped'}
        </span>
        {listening ? (
          <>
            <span className="proxy-addr" data-testid="proxy-address">
              127.0.0.1:{status.port}
            </span>
            {status.socketDir ? (
              <span
                className="muted small"
                title={
                  status.engine === 'mysql'
                    ? `Unix socket folder (0700): mysql --socket=${status.socketDir}/mysql-${status.port}.sock`
                    : 'Unix socket folder (0700): psql host=<folder>'
                }
              >
                socket {status.socketDir}
              </span>
            ) : null}
            <button
              type="button"
              className="btn btn-small"
              data-testid="proxy-stop"
              disabled={pending !== null}
              onClick={() => void ctx.proxies.stopProxy(target.id)}
            >
              Stop proxy
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn btn-small btn-primary"
            data-testid="proxy-start"
            disabled={pending !== null}
            title="Any tool connects with no token: the proxy signs one per connection"
            onClick={() => void ctx.proxies.startProxy(target.id)}
          >
            {pending === 'start' ? 'Starting…' : 'Start proxy'}
          </button>
        )}
      </div>
      {error ? <ErrorNote error={error} testId="proxy-error" /> : null}
      {listening ? (
        <>
          <div className="muted small" data-testid="proxy-auth">
            TCP clients log in as {status.user} with the local secret{' '}
            <span className="proxy-secret" data-testid="proxy-secret">
              {secret ?? '••••••••'}
            </span>{' '}
            <button
              type="button"
              className="btn btn-small"
              data-testid="proxy-secret-toggle"
              onClick={() => void toggleSecret()}
            >
              {secret === null ? 'Show' : 'Hide'}
            </button>{' '}
            <button
              type="button"
              className="btn btn-small"
              data-testid="proxy-secret-copy"
              onClick={() => void copySecret()}
            >
              Copy
            </button>{' '}
            (other local users can reach 127.0.0.1;{' '}
            {status.engine === 'mysql'
              ? 'the mysql client reads it from the option file Porthole writes'
              : 'libpq tools read it from the pgpass file'}
            ). The Unix socket needs none: only your user can open its folder. {status.tokensSigned} IAM token
            {status.tokensSigned === 1 ? '' : 's'} signed, one per connection.
          </div>
          <table className="proxy-table" data-testid="proxy-clients">
            <thead>
              <tr>
                <th>Client</th>
                <th>Via</th>
                <th>Database</th>
                <th>Connected</th>
                <th>In / out</th>
              </tr>
            </thead>
            <tbody>
              {status.clients.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    No clients connected
                  </td>
                </tr>
              ) : (
                status.clients.map((c) => (
                  <tr key={c.id} data-testid="proxy-client">
                    <td>{c.applicationName || '(no application_name)'}</td>
                    <td>{c.transport}</td>
                    <td>{c.database}</td>
                    <td>{formatDuration(Math.max(0, now - c.since))}</td>
                    <td>
                      {formatBytes(c.bytesIn)} / {formatBytes(c.bytesOut)}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </>
      ) : null}
      <AuditLog />
    </section>
  )
}

/** The audit log (tunnel sessions and proxy clients), loaded when opened. */
function AuditLog() {
  const ctx = useAppContext()
  const [entries, setEntries] = useState<AuditEntryInfo[] | null>(null)
  const load = (): void => {
    ctx.proxies
      .audit(100)
      .then(setEntries)
      .catch((err) => ctx.ui.toast(errorInfoOf(err).message, 'error'))
  }
  return (
    <details
      data-testid="audit-log"
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open) load()
      }}
    >
      <summary>Audit log</summary>
      {entries === null ? null : entries.length === 0 ? (
        <div className="muted small">No entries yet.</div>
      ) : (
        <table className="proxy-table">
          <thead>
            <tr>
              <th>Ended</th>
              <th>Kind</th>
              <th>Target</th>
              <th>Principal</th>
              <th>Client</th>
              <th>In / out</th>
              <th>How it ended</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr
                key={`${e.kind}|${e.startedAt}|${e.endedAt}|${e.applicationName ?? ''}|${e.bytesIn}|${e.sessionIds.join()}`}
                data-testid="audit-entry"
              >
                <td>{new Date(e.endedAt).toLocaleString()}</td>
                <td>{e.kind === 'proxy-client' ? 'proxy client' : 'tunnel session'}</td>
                <td>{e.targetName}</td>
                <td title={e.principalArn ?? ''}>{e.principalArn?.split(':').pop() ?? '—'}</td>
                <td>{e.applicationName ?? e.sessionIds.join(', ')}</td>
                <td>
                  {formatBytes(e.bytesIn)} / {formatBytes(e.bytesOut)}
                </td>
                <td>{e.ended}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="btn btn-small" onClick={load}>
        Refresh
      </button>
    </details>
  )
}
