// Transient messages, announced politely to screen readers.
import { useAppContext } from '../hooks/useAppContext'
import { useStoreSelector } from '../hooks/useStoreSelector'

/** The toast stack in the bottom-right corner. */
export function Toasts() {
  const ctx = useAppContext()
  const toasts = useStoreSelector(ctx.ui.store, (s) => s.toasts)
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast">
          <span>{t.text}</span>
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss"
            onClick={() => ctx.ui.dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
