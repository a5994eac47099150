// The CodeMirror 6 editor, owned imperatively: React gives it the schema tree, the error mark and
// text to put in from outside; it reports edits and run requests. Ctrl/Cmd+Enter runs the selection
// or the statement under the cursor, Ctrl/Cmd+Shift+Enter runs everything, Escape cancels a run.
import { Compartment, EditorState, Prec } from '@codemirror/state'
import { keymap } from '@codemirror/view'
import { basicSetup, EditorView } from 'codemirror'
import { useEffect, useRef } from 'react'
import type { SchemaTree } from '../../../shared/ipc/models'
import { editorHighlight, editorTheme, errorMarkField, setErrorMark, sqlLanguage } from './sql-editor-setup'
import { statementAt } from './sql-statements'

/** What to run: the text and where it starts in the document. */
export interface RunRequest {
  sql: string
  offset: number
}

interface Props {
  initial: string
  tree: SchemaTree | null
  /** The target's engine and database pick the dialect and the default schema. */
  dialect?: { engine: 'postgres' | 'mysql'; database: string }
  /** 0-based document offset of an error, or null. */
  errorAt: number | null
  onChange(sql: string): void
  onRun(req: RunRequest): void
  /**
   * Receives a function that returns the current run request (for the toolbar): the selection if
   * any, else the statement under the cursor (`statement`, the default) or the whole text (`all`).
   */
  bindRun(get: (mode?: 'statement' | 'all') => RunRequest): void
  /** Ctrl/Cmd+Shift+Enter: the whole document. */
  onRunAll?(req: RunRequest): void
  /** Escape (when no completion popup is open); return false to let Escape do its usual job. */
  onCancel?(): boolean
  /** Text to put in from outside (history, saved query); applied once per nonce, undoable. */
  replace?: { sql: string; nonce: number } | null
}

/** The selection if any, else the statement under the cursor (or the whole document for `all`). */
export function runRequest(view: EditorView, mode: 'statement' | 'all' = 'statement'): RunRequest {
  const { from, to, head } = view.state.selection.main
  if (from !== to) return { sql: view.state.sliceDoc(from, to), offset: from }
  const doc = view.state.doc.toString()
  if (mode === 'all') return { sql: doc, offset: 0 }
  const r = statementAt(doc, head)
  return r ? { sql: doc.slice(r.from, r.to), offset: r.from } : { sql: doc, offset: 0 }
}

const wholeDocument = (view: EditorView): RunRequest => ({ sql: view.state.doc.toString(), offset: 0 })

/** The SQL editor. */
export function SqlEditor({
  initial,
  tree,
  dialect,
  errorAt,
  onChange,
  onRun,
  bindRun,
  onRunAll,
  onCancel,
  replace,
}: Props) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const language = useRef(new Compartment())
  const applied = useRef(replace?.nonce ?? 0)
  const callbacks = useRef({ onChange, onRun, onRunAll, onCancel })
  callbacks.current = { onChange, onRun, onRunAll, onCancel }

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is created once per mount
  useEffect(() => {
    // CodeMirror injects its styles as a <style> tag into a Document (blocked by our CSP) but as a
    // constructable stylesheet into a ShadowRoot, so the editor lives in an open shadow root.
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' })
    const mount = document.createElement('div')
    mount.style.height = '100%'
    shadow.replaceChildren(mount)
    const v = new EditorView({
      root: shadow,
      parent: mount,
      state: EditorState.create({
        doc: initial,
        extensions: [
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: (ed) => {
                  callbacks.current.onRun(runRequest(ed))
                  return true
                },
              },
              {
                key: 'Shift-Mod-Enter',
                run: (ed) => {
                  const all = callbacks.current.onRunAll ?? callbacks.current.onRun
                  all(wholeDocument(ed))
                  return true
                },
              },
            ]),
          ),
          // Default precedence: the completion popup's own Escape (Prec.highest) closes it first.
          keymap.of([{ key: 'Escape', run: () => callbacks.current.onCancel?.() ?? false }]),
          basicSetup,
          language.current.of(sqlLanguage(tree, dialect?.engine, dialect?.database)),
          errorMarkField,
          editorTheme,
          editorHighlight,
          EditorView.contentAttributes.of({ 'aria-label': 'SQL editor', 'data-testid': 'sql-editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString())
          }),
        ],
      }),
    })
    view.current = v
    bindRun((mode) => runRequest(v, mode))
    return () => v.destroy()
  }, [])

  useEffect(() => {
    view.current?.dispatch({
      effects: language.current.reconfigure(sqlLanguage(tree, dialect?.engine, dialect?.database)),
    })
  }, [tree, dialect?.engine, dialect?.database])

  useEffect(() => {
    const v = view.current
    if (!v || !replace || replace.nonce === applied.current) return
    applied.current = replace.nonce
    if (v.state.doc.toString() === replace.sql) return
    v.dispatch({
      changes: { from: 0, to: v.state.doc.length, insert: replace.sql },
      selection: { anchor: replace.sql.length },
      scrollIntoView: true,
    })
    v.focus()
  }, [replace])

  useEffect(() => {
    const v = view.current
    if (!v) return
    if (errorAt === null) {
      v.dispatch({ effects: setErrorMark.of(null) })
      return
    }
    const len = v.state.doc.length
    const from = Math.max(0, Math.min(errorAt, len))
    const word = /^[^\s,;()]+/.exec(v.state.sliceDoc(from, Math.min(len, from + 128)))?.[0].length ?? 1
    const to = Math.min(len, from + Math.max(1, word))
    v.dispatch({
      effects: [
        setErrorMark.of(from < to ? { from, to } : null),
        EditorView.scrollIntoView(from, { y: 'center' }),
      ],
      selection: { anchor: from },
    })
  }, [errorAt])

  return <div className="sql-editor" ref={host} />
}
