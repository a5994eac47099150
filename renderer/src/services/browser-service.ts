// Table browser state for the selected target: schema tree, one relation's details and a page
// of its rows. Also feeds SQL autocomplete with the live tree.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { SchemaTree, TableDetails, TablePreview } from '../../../shared/ipc/models'
import type { TargetId } from '../../../shared/target-schema'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'

export interface RelationRef {
  schema: string
  name: string
}

export interface BrowserState {
  targetId: TargetId | null
  tree: SchemaTree | null
  treeLoading: boolean
  treeError: ErrorInfo | null
  relation: RelationRef | null
  details: TableDetails | null
  preview: TablePreview | null
  previewLoading: boolean
  relationError: ErrorInfo | null
}

/** Rows per preview page. */
export const PREVIEW_PAGE = 100

const EMPTY: Omit<BrowserState, 'targetId'> = {
  tree: null,
  treeLoading: false,
  treeError: null,
  relation: null,
  details: null,
  preview: null,
  previewLoading: false,
  relationError: null,
}

/** Renderer service for schema browsing. */
export class BrowserService {
  readonly store = new Store<BrowserState>({ targetId: null, ...EMPTY })
  private generation = 0

  constructor(private readonly api: PortholeApi) {}

  /** Forgets everything (target changed or tunnel closed). */
  reset(targetId: TargetId | null): void {
    this.generation++
    this.store.setState({ targetId, ...EMPTY })
  }

  /** Loads the schema tree of the target. */
  async loadTree(targetId: TargetId): Promise<void> {
    const gen = ++this.generation
    this.store.setState({ targetId, treeLoading: true, treeError: null })
    try {
      const tree = await this.api.listSchema({ targetId })
      if (gen === this.generation) this.store.setState({ tree, treeLoading: false })
    } catch (err) {
      if (gen === this.generation) this.store.setState({ treeLoading: false, treeError: errorInfoOf(err) })
    }
  }

  /** Opens a relation: its columns/keys and the first page of rows. */
  async open(relation: RelationRef): Promise<void> {
    const targetId = this.store.getState().targetId
    if (!targetId) return
    this.store.setState({ relation, details: null, preview: null, relationError: null })
    try {
      const details = await this.api.describeTable({ targetId, ...relation })
      if (this.isCurrent(relation)) this.store.setState({ details })
    } catch (err) {
      if (this.isCurrent(relation)) this.store.setState({ relationError: errorInfoOf(err) })
    }
    await this.page(0)
  }

  /** Loads the preview page starting at `offset`. */
  async page(offset: number): Promise<void> {
    const { targetId, relation } = this.store.getState()
    if (!targetId || !relation) return
    this.store.setState({ previewLoading: true })
    try {
      const preview = await this.api.previewTable({ targetId, ...relation, offset, limit: PREVIEW_PAGE })
      if (this.isCurrent(relation)) this.store.setState({ preview, previewLoading: false })
    } catch (err) {
      if (this.isCurrent(relation))
        this.store.setState({ previewLoading: false, relationError: errorInfoOf(err) })
    }
  }

  /** Exact row count of the open relation (on demand: count(*) can take long on big tables). */
  async countRows(relation: RelationRef): Promise<{ count: number; durationMs: number }> {
    const targetId = this.store.getState().targetId
    if (!targetId) throw new Error('No target selected.')
    return this.api.countRows({ targetId, ...relation })
  }

  private isCurrent(r: RelationRef): boolean {
    const cur = this.store.getState().relation
    return cur?.schema === r.schema && cur.name === r.name
  }
}
