// In the browser UI, a banner while the loopback bridge is gone (porthole stopped or crashed):
// every action would fail, so say so once, plainly, instead of a toast per failed call.
import { useEffect, useState } from 'react'
import { onBackendConnection } from '../api/index'

/** Shows while the backend connection is lost; the transport reconnects by itself. */
export function BackendBanner() {
  const [lost, setLost] = useState(false)
  useEffect(() => onBackendConnection((connected) => setLost(!connected)), [])
  if (!lost) return null
  return (
    <div className="backend-banner" role="alert" data-testid="backend-banner">
      Lost the connection to Porthole. Is <code>porthole start --web</code> still running? Reconnecting…
    </div>
  )
}
