// The import preview: what an import file would add, update (and which fields) and leave unchanged,
// shown before anything is written. Confirming runs the same import the engine previewed.
import type { ImportPreview } from '../../../shared/ipc/models'
import { useAppContext } from '../hooks/useAppContext'
import { Modal } from './Modal'

type Entry = ImportPreview['added'][number]

function Section({ title, entries, testId }: { title: string; entries: Entry[]; testId: string }) {
  if (entries.length === 0) return null
  return (
    <section data-testid={testId}>
      <h3>
        {title} ({entries.length})
      </h3>
      <ul>
        {entries.map((e, i) => (
          <li key={e.id ?? `${e.name}-${i}`} data-name={e.name}>
            {e.name}
            {e.changes.length ? <span className="muted"> — {e.changes.join(', ')}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Lists the planned changes; Import commits them, Cancel leaves the targets as they are. */
export function ImportPreviewDialog({ json, preview }: { json: string; preview: ImportPreview }) {
  const ctx = useAppContext()
  const close = (): void => ctx.ui.openDialog(null)
  const changes = preview.added.length + preview.updated.length
  return (
    <Modal title="Import targets" onClose={close} testId="import-preview">
      <div className="pad">
        <p data-testid="import-summary">
          {preview.added.length} to add, {preview.updated.length} to update, {preview.unchanged.length}{' '}
          unchanged.
        </p>
        <Section title="Add" entries={preview.added} testId="import-added" />
        <Section title="Update" entries={preview.updated} testId="import-updated" />
        <Section title="Unchanged" entries={preview.unchanged} testId="import-unchanged" />
      </div>
      <footer className="modal-foot">
        <button type="button" className="btn" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="confirm-import"
          disabled={changes === 0}
          onClick={() => {
            close()
            void ctx.targets.importJson(json).then((error) => {
              if (error) ctx.ui.toast(`Import failed: ${error.message}`, 'error')
            })
          }}
        >
          Import
        </button>
      </footer>
    </Modal>
  )
}
