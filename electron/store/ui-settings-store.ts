// UI settings kept by main (`<data>/ui-settings.json`): the browser UI's origin changes with the
// bridge port on every start, so its localStorage cannot carry a choice across restarts.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type UiSettings, uiSettingsSchema } from '../../shared/ipc/workspace-models'
import { KeyedQueue, writeFileAtomic } from './atomic-file'

const DEFAULTS: UiSettings = { theme: 'system' }

export interface UiSettingsStore {
  get(): Promise<UiSettings>
  save(patch: Partial<UiSettings>): Promise<UiSettings>
}

/** Opens the settings file in `dir`; an unreadable file reads as the defaults. */
export function createUiSettingsStore(options: { dir: string }): UiSettingsStore {
  const path = join(options.dir, 'ui-settings.json')
  const queue = new KeyedQueue()
  const read = async (): Promise<UiSettings> => {
    try {
      const parsed = uiSettingsSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
      return parsed.success ? parsed.data : { ...DEFAULTS }
    } catch {
      return { ...DEFAULTS }
    }
  }
  return {
    get: () => queue.run('ui', read),
    save: (patch) =>
      queue.run('ui', async () => {
        const next = uiSettingsSchema.parse({ ...(await read()), ...patch })
        await writeFileAtomic(path, `${JSON.stringify(next)}\n`)
        return next
      }),
  }
}
