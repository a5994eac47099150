// The target form's profile suggestions (name, kind, region) and, below the field, who the profile
// signs in as (STS GetCallerIdentity) or a Sign in button for an SSO profile without a session.
import { useEffect } from 'react'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'

/** Datalist options for the awsProfile input plus the principal line of the chosen profile. */
export function ProfilePicker({ listId, profile }: { listId: string; profile: string }) {
  const ctx = useAppContext()
  const profiles = useStoreSelector(ctx.account.store, (s) => s.profiles)
  const who = useStoreSelector(ctx.account.store, (s) => s.identity[profile])
  const known = profiles.find((p) => p.name === profile)
  useEffect(() => {
    if (known) void ctx.account.whoAmI(known.name)
  }, [ctx, known])
  return (
    <div className="span-2" data-testid="profile-status">
      <datalist id={listId}>
        {profiles.map((p) => (
          <option key={p.name} value={p.name}>
            {p.kind}
            {p.mfa ? ' + MFA' : ''}
            {p.region ? ` · ${p.region}` : ''}
          </option>
        ))}
      </datalist>
      {known && who?.state === 'ok' ? (
        <div className="principal ok" data-testid="profile-principal">
          {who.value.arn}
        </div>
      ) : null}
      {known && who?.state === 'error' ? (
        <div className="principal" data-testid="profile-principal-error">
          {who.error.message}{' '}
          {known.kind === 'sso' && who.error.resolvableByLogin ? (
            <button
              type="button"
              className="btn btn-small"
              data-testid="profile-sign-in"
              onClick={() => void ctx.account.signIn(known.name)}
            >
              Sign in
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
