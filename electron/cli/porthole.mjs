#!/usr/bin/env node
// The `porthole` command. The CLI is TypeScript run through tsx, like the tests, so the engine the
// CLI drives is exactly the code the app ships.
import { register } from 'tsx/esm/api'

// The AWS SDK warns on every run that its 2027 releases will need Node 22. Electron already ships
// Node 22+, and the CLI cannot act on it; every other warning still prints.
const printWarning = process.listeners('warning')
process.removeAllListeners('warning')
process.on('warning', (w) => {
  if (w.name !== 'NodeVersionSupportWarning') for (const l of printWarning) l(w)
})

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
