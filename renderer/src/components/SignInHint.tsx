// Under an error that signing in fixes (expired or missing SSO session), a Sign in button for the
// target's SSO profile; other profiles and errors show nothing.
import type { ErrorInfo } from '../../../shared/errors'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'

/** A Sign in action when `error` is resolvable by signing `profile` in to IAM Identity Center. */
export function SignInHint({ error, profile }: { error: ErrorInfo | null; profile: string | undefined }) {
  const ctx = useAppContext()
  const sso = useStoreSelector(ctx.account.store, (s) =>
    s.profiles.some((p) => p.name === profile && p.kind === 'sso'),
  )
  if (!error?.resolvableByLogin || !profile || !sso) return null
  return (
    <div className="pad-x">
      <button
        type="button"
        className="btn btn-primary btn-small"
        data-testid="tunnel-sign-in"
        onClick={() => void ctx.account.signIn(profile)}
      >
        Sign in to {profile}
      </button>
    </div>
  )
}
