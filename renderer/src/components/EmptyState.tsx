// First run: no targets yet. Offer the simulated-AWS demo so a newcomer can click Connect at once.
import { useState } from 'react'
import { useAppContext } from '../hooks/useAppContext'

/** The no-targets welcome. */
export function EmptyState() {
  const ctx = useAppContext()
  const [busy, setBusy] = useState(false)
  return (
    <div className="empty-state" data-testid="empty-state">
      <h1>Reach private RDS databases without a bastion key</h1>
      <p className="muted">
        Porthole opens an SSM Session Manager tunnel to an instance in your VPC and signs in with RDS IAM
        authentication. No passwords are stored.
      </p>
      <div className="empty-actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="add-demo"
          disabled={busy}
          onClick={async () => {
            setBusy(true)
            await ctx.targets.createDemo()
            setBusy(false)
          }}
        >
          {busy ? 'Adding…' : 'Add the Demo (simulated AWS) target'}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="add-first-target"
          onClick={() => ctx.ui.openDialog({ kind: 'target-form', targetId: null })}
        >
          Add your own target
        </button>
      </div>
      <p className="muted small">
        The demo runs a built-in AWS simulator on this machine, so it needs no account.
      </p>
    </div>
  )
}
