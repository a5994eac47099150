// Electron's side of the contract: one ipcMain handler for every call, after checking who sent it,
// and one push channel for engine events. Validation of the argument happens in the dispatcher,
// identically for the loopback bridge.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { CALL_CHANNEL, type CallEnvelope, EVENT_CHANNEL } from '../../shared/ipc/contract'
import type { EventBus } from '../base/event-bus'
import type { Logger } from '../base/logger'
import { isSameOrigin } from '../window/app-origin'
import type { Dispatch } from './dispatcher'

export interface ElectronIpcOptions {
  ipcMain: IpcMain
  dispatch: Dispatch
  bus: EventBus
  /** app://porthole in production, the Vite dev server origin in development. */
  appOrigin: string
  /** The web contents that receive events (usually the main window's). */
  targets: () => WebContents[]
  logger: Logger
}

/** Registers `porthole:call` and forwards bus events on `porthole:event`; returns an undo. */
export function registerElectronIpc(options: ElectronIpcOptions): () => void {
  const { ipcMain, dispatch, bus, appOrigin, logger } = options
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, arg: unknown): Promise<CallEnvelope> => {
    // Checklist item 17: validate the sender of every IPC message.
    if (!isTrustedSender(event, appOrigin)) {
      logger.warn(`refused ${String(method)} from ${event.senderFrame?.url ?? 'a destroyed frame'}`)
      return { ok: false, error: { code: 'ACCESS_DENIED', message: 'This frame may not call Porthole' } }
    }
    return dispatch(method, arg)
  })
  const off = bus.onAny((name, payload) => {
    for (const contents of options.targets()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event: name, payload })
    }
  })
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL)
    off()
  }
}

/** A call is trusted only from the main frame of a page on our own origin (VS Code validatedIpcMain). */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>,
  appOrigin: string,
): boolean {
  const frame = event.senderFrame
  if (!frame) return false // the frame navigated away or was destroyed before we looked
  if (frame !== event.sender.mainFrame || frame.parent !== null) return false // no iframes
  return isSameOrigin(frame.url, appOrigin)
}
