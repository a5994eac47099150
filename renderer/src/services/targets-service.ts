// Saved targets: loads the list, follows onTargetsChanged, and sends create/update/delete intents.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { ImportPreview } from '../../../shared/ipc/models'
import type { Target, TargetId, TargetInput } from '../../../shared/target-schema'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'
import type { UiService } from './ui-service'

export interface TargetsState {
  targets: Target[]
  loaded: boolean
  selectedId: TargetId | null
  profiles: string[]
  loadError: ErrorInfo | null
}

/** Result of a save: the stored target, or the error (VALIDATION carries field issues). */
export type SaveOutcome = { ok: true; target: Target } | { ok: false; error: ErrorInfo }

/** Renderer service for targets. */
export class TargetsService {
  readonly store = new Store<TargetsState>({
    targets: [],
    loaded: false,
    selectedId: null,
    profiles: [],
    loadError: null,
  })

  constructor(
    private readonly api: PortholeApi,
    private readonly ui: UiService,
  ) {}

  /** Subscribes to pushes and loads the list; returns the unsubscribe. */
  start(): () => void {
    const off = this.api.onTargetsChanged((targets) => this.apply(targets))
    void this.reload()
    return off
  }

  /** Reloads the list from the engine. */
  async reload(): Promise<void> {
    try {
      this.apply(await this.api.listTargets())
    } catch (err) {
      this.store.setState({ loaded: true, loadError: errorInfoOf(err) })
    }
  }

  /** Fetches AWS profile names for the picker (failures leave the list empty). */
  async loadProfiles(): Promise<void> {
    try {
      this.store.setState({ profiles: await this.api.listProfiles() })
    } catch {
      this.store.setState({ profiles: [] })
    }
  }

  /** Selects a target (null clears). */
  select(id: TargetId | null): void {
    this.store.setState({ selectedId: id })
  }

  /** Creates or updates a target. */
  async save(input: TargetInput): Promise<SaveOutcome> {
    try {
      const target = await this.api.saveTarget(input)
      this.upsertLocal(target)
      this.select(target.id)
      return { ok: true, target }
    } catch (err) {
      return { ok: false, error: errorInfoOf(err) }
    }
  }

  /** Deletes a target (the engine closes its tunnel first). */
  async remove(id: TargetId): Promise<void> {
    await this.guard(async () => {
      await this.api.deleteTarget({ targetId: id })
      const targets = this.store.getState().targets.filter((t) => t.id !== id)
      const selectedId =
        this.store.getState().selectedId === id ? (targets[0]?.id ?? null) : this.store.getState().selectedId
      this.store.setState({ targets, selectedId })
      this.ui.toast('Target deleted')
    })
  }

  /** Duplicates a target and selects the copy. */
  async duplicate(id: TargetId): Promise<void> {
    await this.guard(async () => {
      const copy = await this.api.duplicateTarget({ targetId: id })
      this.upsertLocal(copy)
      this.select(copy.id)
    })
  }

  /** Adds the simulated-AWS demo target and selects it. */
  async createDemo(): Promise<void> {
    await this.guard(async () => {
      const demo = await this.api.createDemoTarget()
      this.upsertLocal(demo)
      this.select(demo.id)
    })
  }

  /** What importing `json` would change (nothing is written), or why the file is refused. */
  async previewImport(json: string): Promise<{ preview: ImportPreview } | { error: ErrorInfo }> {
    try {
      return { preview: await this.api.previewImport({ json }) }
    } catch (err) {
      return { error: errorInfoOf(err) }
    }
  }

  /** Imports an export file's text; all-or-nothing on the engine side. */
  async importJson(json: string): Promise<ErrorInfo | null> {
    try {
      const r = await this.api.importTargets({ json })
      this.ui.toast(`Imported: ${r.added} added, ${r.updated} updated, ${r.unchanged ?? 0} unchanged`)
      await this.reload()
      return null
    } catch (err) {
      return errorInfoOf(err)
    }
  }

  /** Returns the export JSON text (targets hold no secrets). */
  async exportJson(): Promise<string | null> {
    let json: string | null = null
    await this.guard(async () => {
      json = (await this.api.exportTargets()).json
    })
    return json
  }

  private apply(targets: Target[]): void {
    const { selectedId } = this.store.getState()
    const keep =
      selectedId && targets.some((t) => t.id === selectedId) ? selectedId : (targets[0]?.id ?? null)
    this.store.setState({ targets, loaded: true, loadError: null, selectedId: keep })
  }

  private upsertLocal(target: Target): void {
    const rest = this.store.getState().targets.filter((t) => t.id !== target.id)
    this.store.setState({ targets: [...rest, target].sort((a, b) => a.name.localeCompare(b.name)) })
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work()
    } catch (err) {
      const info = errorInfoOf(err)
      this.ui.toast(info.hint ? `${info.message}. ${info.hint}` : info.message, 'error')
    }
  }
}
