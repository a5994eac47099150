// An error in plain words plus what to do about it; never markup, only text nodes.
import type { ErrorInfo } from '../../../shared/errors'

/** Shows ErrorInfo message, hint and (for VALIDATION without a form) the issues. */
export function ErrorNote({ error, testId }: { error: ErrorInfo; testId?: string }) {
  return (
    <div className="error-note" role="alert" data-testid={testId ?? 'error-note'}>
      <div className="error-message">
        <span className="error-code">{error.code}</span> {error.message}
      </div>
      {error.hint ? <div className="error-hint">{error.hint}</div> : null}
      {error.sql?.detail ? <div className="error-hint">{error.sql.detail}</div> : null}
      {error.sql?.hint ? <div className="error-hint">{error.sql.hint}</div> : null}
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
