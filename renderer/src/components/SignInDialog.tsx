// IAM Identity Center sign-in: the code to check, the page to approve it on (a link in the browser
// UI, the system browser in Electron), then the outcome. Outcomes arrive as onSsoLogin events.
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { isSafeLink } from '../services/account-service'
import { ErrorNote } from './ErrorNote'
import { Modal } from './Modal'

/** Shown while a sign-in is starting, waiting for the browser step, or just finished. */
export function SignInDialog() {
  const ctx = useAppContext()
  const s = useStoreSelector(ctx.account.store, (st) => st.signIn)
  const shell = useStoreSelector(ctx.account.store, (st) => st.shell)
  const who = useStoreSelector(ctx.account.store, (st) => (s ? st.identity[s.profile] : undefined))
  if (!s) return null
  const close = () => ctx.account.closeSignIn()
  const link = s.login?.verificationUriComplete ?? null
  return (
    <Modal title={`Sign in: ${s.profile}`} onClose={close} testId="sign-in-dialog">
      <div className="pad" data-testid="sign-in-stage" data-stage={s.stage}>
        {s.stage === 'starting' ? <p>Contacting IAM Identity Center…</p> : null}
        {s.stage === 'waiting' && s.login ? (
          <>
            <p>Approve this request in your browser. Check that the page shows the same code:</p>
            <div className="sso-code" data-testid="sso-user-code">
              {s.login.userCode}
            </div>
            {isSafeLink(link) ? (
              <p className="sso-link">
                <a href={link} target="_blank" rel="noreferrer noopener" data-testid="sso-verification-link">
                  {s.login.verificationUri}
                </a>
              </p>
            ) : null}
            <p className="muted">
              Waiting for approval… the code is valid until {new Date(s.login.expiresAt).toLocaleTimeString()}
              .
            </p>
          </>
        ) : null}
        {s.stage === 'signed-in' ? (
          <>
            <p data-testid="sign-in-done">
              Signed in{s.login?.refreshed ? ' (session renewed with the saved refresh token)' : ''}. The AWS
              CLI and SDKs share this sign-in.
            </p>
            {who?.state === 'ok' ? (
              <p className="principal ok" data-testid="sign-in-principal">
                {who.value.arn}
              </p>
            ) : null}
          </>
        ) : null}
        {s.stage === 'failed' && s.error ? <ErrorNote error={s.error} testId="sign-in-error" /> : null}
      </div>
      <footer className="modal-foot">
        {s.stage === 'waiting' && shell === 'electron' ? (
          <button type="button" className="btn" onClick={() => void ctx.account.openVerification()}>
            Open in browser
          </button>
        ) : null}
        {s.stage === 'failed' ? (
          <button
            type="button"
            className="btn"
            data-testid="sign-in-retry"
            onClick={() => void ctx.account.signIn(s.profile)}
          >
            Try again
          </button>
        ) : null}
        <button
          type="button"
          className={s.stage === 'signed-in' ? 'btn btn-primary' : 'btn'}
          data-testid="sign-in-close"
          onClick={close}
        >
          {s.stage === 'waiting' || s.stage === 'starting' ? 'Cancel' : 'Close'}
        </button>
      </footer>
    </Modal>
  )
}
