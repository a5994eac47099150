// The target store under plain Node (CLI, loopback bridge, tests): the same file format through
// `conf`, the library electron-store is built on.

import { join } from 'node:path'
import Conf from 'conf'
import { type Logger, silentLogger } from '../base/logger'
import { preflightStoreFile, STORE_CONFIG_NAME } from './store-file'
import { type ConfLikeBackend, createTargetStore, type TargetStore } from './target-store'

/** Opens `<dir>/targets.json` with conf, after keeping a corrupt file aside. */
export function openConfTargetStore(options: { dir: string; logger?: Logger }): TargetStore {
  const logger = options.logger ?? silentLogger
  // conf would throw on unparsable JSON at construction; check (and quarantine) first.
  const problem = preflightStoreFile(join(options.dir, `${STORE_CONFIG_NAME}.json`))
  if (problem) logger.error(problem.message)
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'porthole',
    cwd: options.dir,
    configName: STORE_CONFIG_NAME,
    // Keys like "targets" are plain; dot-paths would misread names containing dots.
    accessPropertiesByDotNotation: false,
    // Owner-only: the file names accounts, hosts and users even though it holds no secrets.
    configFileMode: 0o600,
  })
  return createTargetStore({ backend: conf as unknown as ConfLikeBackend, logger, problem })
}
