// Turns whatever a call rejected with into ErrorInfo the UI can show (message + hint).
import { type ErrorInfo, PortholeError } from '../../../shared/errors'

/** ErrorInfo from a rejection; non-Porthole errors become INTERNAL with their message. */
export function errorInfoOf(err: unknown): ErrorInfo {
  if (err instanceof PortholeError) return err.info
  if (err && typeof err === 'object' && 'info' in err) return (err as PortholeError).info
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}
