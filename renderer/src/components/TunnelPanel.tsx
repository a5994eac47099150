// Selected target header: name, Connect/Disconnect, actions, and the live tunnel status the engine
// pushes (uptime and token age tick locally from the engine's timestamps).
import type { Target } from '../../../shared/target-schema'
import { formatBytes, formatDuration } from '../format'
import { useAppContext } from '../hooks/useAppContext'
import { useNow } from '../hooks/useNow'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { askThenDisconnect } from './DisconnectDialog'
import { ErrorNote } from './ErrorNote'
import { PoolLoad } from './PoolLoad'
import { SignInHint } from './SignInHint'
import { StateBadge } from './StateBadge'

/** Header and status strip of the selected target. */
export function TunnelPanel({ target }: { target: Target }) {
  const ctx = useAppContext()
  const status = useStoreSelector(ctx.tunnels.store, (s) => s.byTarget[target.id] ?? null)
  const pending = useStoreSelector(ctx.tunnels.store, (s) => s.pending[target.id] ?? null)
  const callError = useStoreSelector(ctx.tunnels.store, (s) => s.callErrors[target.id] ?? null)
  const proxyOn = useStoreSelector(ctx.proxies.store, (s) => s.byTarget[target.id]?.state === 'listening')
  const state = status?.state ?? 'idle'
  const live = state === 'open' || state === 'resuming'
  const busy = pending !== null || state === 'starting' || state === 'closing'
  const now = useNow(live)
  const error = callError ?? (state === 'failed' ? status?.lastError : null) ?? null

  return (
    <section className="tunnel-panel" aria-label="Tunnel">
      <div className="target-head">
        <span className={`swatch swatch-lg color-${target.color}`} aria-hidden="true" />
        <div className="target-title">
          <h1 data-testid="target-title">{target.name}</h1>
          <div className="muted small">
            {target.engine} · {target.dbUser}@{target.rdsHost}:{target.rdsPort}/{target.database} via{' '}
            {target.instanceId}
            {target.awsProfile ? ` · profile ${target.awsProfile}` : ''}
          </div>
        </div>
        <StateBadge state={state} testId="tunnel-state" />
        {live || state === 'starting' ? (
          <button
            type="button"
            className="btn"
            data-testid="disconnect"
            disabled={pending === 'disconnect'}
            onClick={() => void askThenDisconnect(ctx, target.id)}
          >
            {pending === 'disconnect' ? 'Disconnecting…' : 'Disconnect'}
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="connect"
            disabled={busy}
            title="Connect (Alt+C)"
            onClick={() => void ctx.tunnels.connect(target.id)}
          >
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid="conn-strings"
          disabled={state !== 'open' && !proxyOn}
          onClick={() => ctx.ui.openDialog({ kind: 'conn-strings', targetId: target.id })}
        >
          Copy connection string
        </button>
        <div className="btn-group">
          <button
            type="button"
            className="btn btn-small"
            data-testid="edit-target"
            onClick={() => ctx.ui.openDialog({ kind: 'target-form', targetId: target.id })}
          >
            Edit
          </button>
          <button
            type="button"
            className="btn btn-small"
            data-testid="duplicate-target"
            onClick={() => void ctx.targets.duplicate(target.id)}
          >
            Duplicate
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-testid="delete-target"
            onClick={() => ctx.ui.openDialog({ kind: 'delete-target', targetId: target.id })}
          >
            Delete
          </button>
        </div>
      </div>
      <dl className="status-strip" data-testid="tunnel-status">
        <Stat
          label="Local port"
          value={status?.localPort ? `127.0.0.1:${status.localPort}` : '—'}
          testId="stat-port"
        />
        <Stat label="Session" value={status?.sessionIds[0] ?? '—'} testId="stat-session" />
        <Stat
          label="Uptime"
          value={live && status?.openedAt ? formatDuration(now - status.openedAt) : '—'}
          testId="stat-uptime"
        />
        <Stat
          label="In / out"
          value={status ? `${formatBytes(status.bytesIn)} / ${formatBytes(status.bytesOut)}` : '—'}
        />
        <Stat label="Connections" value={status ? String(status.openStreams) : '—'} />
        <Stat
          label="Token age"
          value={live && status?.tokenIssuedAt ? formatDuration(now - status.tokenIssuedAt) : '—'}
        />
        <Stat
          label="Mode"
          value={
            status?.mode
              ? `${status.mode}${status.agentVersion ? ` · agent ${status.agentVersion}` : ''}`
              : '—'
          }
        />
      </dl>
      {live ? <PoolLoad sessions={status?.sessions} /> : null}
      {busy ? (
        <div className="progress-bar" role="progressbar" aria-label="Working" />
      ) : (
        <div className="progress-slot" />
      )}
      {error ? <ErrorNote error={error} testId="tunnel-error" /> : null}
      <SignInHint error={error} profile={target.awsProfile} />
      {state === 'closed' && status?.endReason ? (
        <div className="muted small pad-x">Session ended: {status.endReason}</div>
      ) : null}
    </section>
  )
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={testId} title={value}>
        {value}
      </dd>
    </div>
  )
}
