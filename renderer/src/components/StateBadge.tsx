// Tunnel state as a coloured, labelled badge (colour is never the only signal).
import type { TunnelState } from '../../../shared/ipc/models'

const LABEL: Record<TunnelState, string> = {
  idle: 'Idle',
  starting: 'Connecting',
  open: 'Open',
  resuming: 'Resuming',
  closing: 'Closing',
  closed: 'Closed',
  failed: 'Failed',
}

/** A badge for one tunnel state. */
export function StateBadge({ state, testId }: { state: TunnelState; testId?: string }) {
  return (
    <span className={`badge badge-${state}`} data-testid={testId} data-state={state}>
      {LABEL[state]}
    </span>
  )
}
