// Confirm-delete and MFA prompt dialogs.
import { useState } from 'react'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'
import { ErrorNote } from './ErrorNote'
import { Modal } from './Modal'

/** Asks before deleting a target (its tunnel is closed first by the engine). */
export function DeleteDialog({ targetId }: { targetId: TargetId }) {
  const ctx = useAppContext()
  const target = useStoreSelector(ctx.targets.store, (s) => s.targets.find((t) => t.id === targetId) ?? null)
  const close = (): void => ctx.ui.openDialog(null)
  return (
    <Modal title="Delete target" onClose={close} testId="delete-dialog">
      <p className="pad">Delete “{target?.name ?? targetId}”? An open tunnel for it is closed first.</p>
      <footer className="modal-foot">
        <button type="button" className="btn" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-danger"
          data-testid="confirm-delete"
          onClick={() => {
            close()
            void ctx.targets.remove(targetId)
          }}
        >
          Delete
        </button>
      </footer>
    </Modal>
  )
}

/** Shows the oldest pending MFA prompt; submitting an empty code cancels it. */
export function MfaDialog() {
  const ctx = useAppContext()
  const prompt = useStoreSelector(ctx.mfa.store, (s) => s.prompts[0] ?? null)
  const error = useStoreSelector(ctx.mfa.store, (s) => s.error)
  const [code, setCode] = useState('')
  if (!prompt) return null
  const answer = (value: string): void => {
    setCode('')
    void ctx.mfa.answer(prompt.promptId, value)
  }
  return (
    <Modal title="MFA code needed" onClose={() => answer('')} testId="mfa-dialog">
      <form
        className="pad"
        onSubmit={(e) => {
          e.preventDefault()
          answer(code)
        }}
      >
        <p>
          Profile <strong>{prompt.profile}</strong> needs a code from <code>{prompt.mfaSerial}</code>.
        </p>
        <input
          data-testid="mfa-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          maxLength={6}
          value={code}
          aria-label="6-digit code"
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
        {error ? <ErrorNote error={error} /> : null}
        <footer className="modal-foot">
          <button type="button" className="btn" onClick={() => answer('')}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="mfa-submit"
            disabled={code.length !== 6}
          >
            Continue
          </button>
        </footer>
      </form>
    </Modal>
  )
}
