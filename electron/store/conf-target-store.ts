// The target store of every shell (the Electron app, the CLI, the loopback bridge, tests): one JSON
// file in the shared data dir, through a small JSON file backend (json-file-backend.ts).

import { join } from 'node:path'
import { type Logger, silentLogger } from '../base/logger'
import { jsonFileBackend } from './json-file-backend'
import { preflightStoreFile, STORE_CONFIG_NAME } from './store-file'
import { createTargetStore, type TargetStore } from './target-store'

/** Opens `<dir>/targets.json`, after keeping a corrupt file aside. */
export function openConfTargetStore(options: { dir: string; logger?: Logger }): TargetStore {
  const logger = options.logger ?? silentLogger
  const path = join(options.dir, `${STORE_CONFIG_NAME}.json`)
  const problem = preflightStoreFile(path)
  if (problem) logger.error(problem.message)
  return createTargetStore({ backend: jsonFileBackend(path), logger, problem })
}
