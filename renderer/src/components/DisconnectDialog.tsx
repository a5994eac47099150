// Disconnect asks first when closing the tunnel would end something: running queries, results
// still being paged, or other tools (psql, DBeaver) connected through the tunnel's local port.
import type { TargetId } from '../../../shared/target-schema'
import type { AppContext } from '../app-context'
import { useAppContext } from '../hooks/useAppContext'
import type { DisconnectImpact } from '../services/tunnels-service'
import { Modal } from './Modal'

/** Disconnects at once when nothing would be cut off; otherwise opens the confirmation. */
export async function askThenDisconnect(ctx: AppContext, targetId: TargetId): Promise<void> {
  const impact = await ctx.tunnels.disconnectImpact(targetId)
  if (impact) ctx.ui.openDialog({ kind: 'confirm-disconnect', targetId, impact })
  else await ctx.tunnels.disconnect(targetId)
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** Lines that say what Disconnect would end. */
export function impactLines(impact: DisconnectImpact): string[] {
  const lines: string[] = []
  if (impact.runningQueries)
    lines.push(`${plural(impact.runningQueries, 'query is', 'queries are')} still running`)
  if (impact.openResults)
    lines.push(`${plural(impact.openResults, 'result has', 'results have')} more rows to page through`)
  if (impact.externalClients)
    lines.push(`${plural(impact.externalClients, 'connection', 'connections')} from other tools will drop`)
  return lines
}

/** The confirmation shown before a disconnect that would end work in progress. */
export function DisconnectDialog({ dialog }: { dialog: { targetId: TargetId; impact: DisconnectImpact } }) {
  const ctx = useAppContext()
  const close = (): void => ctx.ui.openDialog(null)
  return (
    <Modal title="Disconnect?" onClose={close} testId="disconnect-dialog">
      <div className="pad">
        <p>Closing the tunnel ends:</p>
        <ul data-testid="disconnect-impact">
          {impactLines(dialog.impact).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
      <footer className="modal-foot">
        <button type="button" className="btn" data-testid="keep-connected" onClick={close}>
          Stay connected
        </button>
        <button
          type="button"
          className="btn btn-danger"
          data-testid="confirm-disconnect"
          onClick={() => {
            close()
            void ctx.tunnels.disconnect(dialog.targetId)
          }}
        >
          Disconnect
        </button>
      </footer>
    </Modal>
  )
}
