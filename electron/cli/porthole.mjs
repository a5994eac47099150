#!/usr/bin/env node
// The `porthole` command. The CLI is TypeScript run through tsx, like the tests, so the engine the
// CLI drives is exactly the code the app ships.
import { register } from 'tsx/esm/api'
import { quietSdkNodeVersionWarning } from './quiet-sdk-warning.mjs'

quietSdkNodeVersionWarning()
register()
try {
  const { main } = await import('./main.ts')
  process.exitCode = await main(process.argv.slice(2))
} catch (err) {
  // Last resort: one line, never a stack trace (main already turns command errors into one line).
  process.stderr.write(`porthole: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
}
