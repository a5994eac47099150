// Renderer entry: picks the API (the in-memory fake with `?fake`), builds the one AppContext and
// renders. `?fake=seeded` starts the fake with example targets for screenshots.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { createFakeApi } from './api/fake-api'
import { getApi, setApiForTests } from './api/index'
import { AppContext } from './app-context'
import { AppContextReact } from './hooks/useAppContext'
import './styles/theme.css'
import './styles/shell.css'
import './styles/views.css'
import './styles/dialogs.css'
import './styles/grid.css'
import './styles/console.css'

const params = new URLSearchParams(location.search)
if (params.has('fake')) setApiForTests(createFakeApi({ seed: params.get('fake') === 'seeded' }))
const ctx = new AppContext(getApi())
ctx.start()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContextReact.Provider value={ctx}>
      <App />
    </AppContextReact.Provider>
  </StrictMode>,
)
