// "Copy connection string": psql or mysql, URI, env vars, JDBC, and on request a variant with a token,
// shown with its expiry warning. Strings are fetched fresh each time (ports change).
import { useEffect, useState } from 'react'
import type { ErrorInfo } from '../../../shared/errors'
import type { ConnectionStrings } from '../../../shared/ipc/models'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import { errorInfoOf } from '../services/errors'
import { ErrorNote } from './ErrorNote'
import { Modal } from './Modal'

/** The connection strings dialog. */
export function ConnStringsDialog({ targetId }: { targetId: TargetId }) {
  const ctx = useAppContext()
  const [withToken, setWithToken] = useState(false)
  const [strings, setStrings] = useState<ConnectionStrings | null>(null)
  const [error, setError] = useState<ErrorInfo | null>(null)
  useEffect(() => {
    let live = true
    setError(null)
    ctx.api
      .getConnectionStrings({ targetId, withToken })
      .then((s) => live && setStrings(s))
      .catch((err) => live && setError(errorInfoOf(err)))
    return () => {
      live = false
    }
  }, [ctx, targetId, withToken])

  const copy = async (label: string, text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text)
      ctx.ui.toast(`${label} copied`)
    } catch {
      ctx.ui.toast('Clipboard is not available; select the text and copy it', 'error')
    }
  }
  // MySQL proxies label their own strings (mysql with its option file, socket, JDBC, env).
  const proxyRows: [string, string, string][] = strings?.proxy?.entries
    ? strings.proxy.entries.map((e) => [e.key, e.label, e.value])
    : strings?.proxy
      ? [
          ['proxy-psql', 'psql', strings.proxy.psql],
          ...(strings.proxy.psqlSocket
            ? ([['proxy-socket', 'psql (socket)', strings.proxy.psqlSocket]] as [string, string, string][])
            : []),
          ['proxy-uri', 'URI', strings.proxy.uri],
          ['proxy-env', 'Environment', strings.proxy.env],
          ['proxy-jdbc', 'JDBC', strings.proxy.jdbc],
        ]
      : []
  // MySQL targets label their own strings (mysql clients, JDBC); PostgreSQL keeps the four.
  const rows: [string, string, string][] = strings?.entries
    ? strings.entries.map((e) => [e.key, e.label, e.value])
    : strings
      ? [
          ['psql', 'psql', strings.psql],
          ['uri', 'URI', strings.uri],
          ['env', 'Environment', strings.env],
          ['jdbc', 'JDBC', strings.jdbc],
        ]
      : []
  if (strings?.withToken?.entries) {
    for (const e of strings.withToken.entries) rows.push([e.key, e.label, e.value])
  } else if (strings?.withToken) {
    rows.push(
      ['token-psql', 'psql with token', strings.withToken.psql],
      ['token-env', 'PGPASSWORD', strings.withToken.env],
    )
  }

  return (
    <Modal
      title="Connection strings"
      onClose={() => ctx.ui.openDialog(null)}
      testId="conn-strings-dialog"
      wide
    >
      <div className="conn-body">
        {error ? <ErrorNote error={error} /> : null}
        {!strings && !error ? <div className="muted">Loading…</div> : null}
        {strings?.proxy ? (
          <>
            <div className="muted small">Through the local auth proxy: no token, no certificate path.</div>
            {proxyRows.map(([key, label, value]) => (
              <StringRow key={key} id={key} label={label} value={value} onCopy={copy} />
            ))}
            <div className="muted small" data-testid="proxy-gui">
              {strings.proxy.gui}
            </div>
            {strings.proxy.notes.map((n) => (
              <div key={n} className="muted small">
                {n}
              </div>
            ))}
          </>
        ) : strings ? (
          <div className="muted small" data-testid="proxy-hint">
            Start the local auth proxy (under the tunnel panel) for strings that need no token and keep
            working.
          </div>
        ) : null}
        <details className="conn-advanced" open={!strings?.proxy}>
          <summary>Advanced: direct tunnel strings</summary>
          {rows.map(([key, label, value]) => (
            <div key={key} className="conn-row">
              <div className="conn-label">{label}</div>
              <pre className="conn-value" data-testid={`conn-${key}`}>
                {value}
              </pre>
              <button
                type="button"
                className="btn btn-small"
                data-testid={`copy-${key}`}
                onClick={() => void copy(label, value)}
              >
                Copy
              </button>
            </div>
          ))}
          {strings?.withToken ? (
            <div className="warning" role="alert" data-testid="token-warning">
              {strings.withToken.warning} Expires at{' '}
              {new Date(strings.withToken.expiresAt).toLocaleTimeString()}.
            </div>
          ) : null}
          {strings?.notes.map((n) => (
            <div key={n} className="muted small">
              {n}
            </div>
          ))}
          <label className="check">
            <input
              type="checkbox"
              data-testid="with-token"
              checked={withToken}
              onChange={(e) => setWithToken(e.target.checked)}
            />
            Include a temporary IAM token (a password valid ≤ 15 minutes)
          </label>
        </details>
      </div>
    </Modal>
  )
}

function StringRow(props: {
  id: string
  label: string
  value: string
  onCopy: (label: string, value: string) => Promise<void>
}) {
  return (
    <div className="conn-row">
      <div className="conn-label">{props.label}</div>
      <pre className="conn-value" data-testid={`conn-${props.id}`}>
        {props.value}
      </pre>
      <button
        type="button"
        className="btn btn-small"
        data-testid={`copy-${props.id}`}
        onClick={() => void props.onCopy(props.label, props.value)}
      >
        Copy
      </button>
    </div>
  )
}
