// An error in plain words plus what to do about it; never markup, only text nodes.
import type { ErrorInfo } from '../../../shared/errors'

/**
 * Shows ErrorInfo message, hint and (for VALIDATION without a form) the issues. A database error
 * shows its SQLSTATE and position (what users look up), not Porthole's internal code, and each
 * hint once.
 */
export function ErrorNote({ error, testId }: { error: ErrorInfo; testId?: string }) {
  const sqlstate = error.sql?.sqlstate
  const position = error.sql?.position
  const sqlHint = error.sql?.hint && error.sql.hint !== error.hint ? error.sql.hint : null
  return (
    <div className="error-note" role="alert" data-testid={testId ?? 'error-note'}>
      <div className="error-message">
        <span className="error-code" data-testid="error-code">
          {sqlstate ? `SQLSTATE ${sqlstate}` : error.code}
        </span>{' '}
        {error.message}
        {position ? (
          <span className="muted small" data-testid="error-position">
            {' '}
            (at character {position})
          </span>
        ) : null}
      </div>
      {error.hint ? <div className="error-hint">{error.hint}</div> : null}
      {error.sql?.detail ? <div className="error-hint">{error.sql.detail}</div> : null}
      {sqlHint ? <div className="error-hint">{sqlHint}</div> : null}
      {error.issues?.length ? (
        <ul className="error-issues">
          {error.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
