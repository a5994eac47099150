// Accessible modal shell: focus moves in on open, Escape closes, focus returns on close. Escape is
// heard on the window, not only inside the dialog: content that re-renders (a loaded list replacing
// "Loading…") can unmount the focused element, and Escape must still close the dialog then.
import { type ReactNode, useEffect, useRef } from 'react'

interface Props {
  title: string
  onClose: () => void
  children: ReactNode
  testId?: string
  wide?: boolean
}

/** A centred dialog over a dimmed backdrop. */
export function Modal({ title, onClose, children, testId, wide }: Props) {
  const ref = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  close.current = onClose
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      e.preventDefault()
      close.current()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.modal-x)')
    ;(first ?? ref.current)?.focus()
    return () => before?.focus()
  }, [])
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: clicking outside closes; Escape (a window listener) does the same by keyboard
    <div
      className="backdrop"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        ref={ref}
        className={wide ? 'modal modal-wide' : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        tabIndex={-1}
      >
        <header className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="modal-x icon-btn" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  )
}
