// Mounts the app on #root over a given contract client: the production entry (main.tsx) passes
// the real transport, the e2e fake entry (tests/e2e/fake-app/) passes the in-memory fake.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import type { PortholeApi } from '../../shared/ipc/contract'
import { App } from './App'
import { AppContext } from './app-context'
import { AppContextReact } from './hooks/useAppContext'
import './styles/theme.css'
import './styles/shell.css'
import './styles/views.css'
import './styles/dialogs.css'
import './styles/grid.css'
import './styles/results.css'
import './styles/console.css'
import './styles/proxy.css'
import './styles/aws.css'

/** Builds the one AppContext over `api`, starts it and renders the app into #root. */
export function mountApp(api: PortholeApi): void {
  const root = document.getElementById('root')
  if (!root) throw new Error('index.html has no #root element')
  const ctx = new AppContext(api)
  ctx.start()
  createRoot(root).render(
    <StrictMode>
      <AppContextReact.Provider value={ctx}>
        <App />
      </AppContextReact.Provider>
    </StrictMode>,
  )
}
