// Transport-independent call dispatch: validate the argument against the contract schema, run the
// handler, and return an explicit envelope. Both ipcMain and the loopback bridge use this, so the
// validation rules cannot differ between Electron and the browser.
import { toErrorInfo } from '../../shared/errors'
import {
  type CallEnvelope,
  isMethodName,
  type MethodName,
  type PortholeHandlers,
  parseArg,
} from '../../shared/ipc/contract'

export type Dispatch = (method: unknown, arg: unknown) => Promise<CallEnvelope>

/** Creates the dispatch function over a full handler table. Handlers never see unvalidated input. */
export function createDispatcher(
  handlers: PortholeHandlers,
  onError?: (method: string, err: unknown) => void,
): Dispatch {
  return async (method, arg) => {
    try {
      if (!isMethodName(method)) {
        return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${String(method)}"` } }
      }
      const parsed = parseArg(method, arg)
      const handler = handlers[method] as (a: unknown) => Promise<unknown>
      const result = await handler(parsed)
      return { ok: true, result }
    } catch (err) {
      onError?.(String(method), err)
      return { ok: false, error: toErrorInfo(err) }
    }
  }
}

export type { MethodName }
