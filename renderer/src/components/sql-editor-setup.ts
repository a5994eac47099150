// CodeMirror 6 pieces for the SQL console: the target engine's dialect (PostgreSQL or MySQL) with
// schema autocomplete, a theme
// driven by our CSS variables (so light/dark follow the app), and an error mark field.

import { MySQL, PostgreSQL, type SQLNamespace, sql } from '@codemirror/lang-sql'
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { type Extension, StateEffect, StateField } from '@codemirror/state'
import { Decoration, type DecorationSet, EditorView } from '@codemirror/view'
import { tags as t } from '@lezer/highlight'
import type { SchemaTree } from '../../../shared/ipc/models'

/**
 * The SQL language configured with the live schema tree for completion. MySQL quotes identifiers
 * with backticks and has no `public` schema: its schemas are databases, the target's is the default.
 */
export function sqlLanguage(
  tree: SchemaTree | null,
  engine: 'postgres' | 'mysql' = 'postgres',
  database?: string,
): Extension {
  const schema: SQLNamespace = {}
  for (const s of tree?.schemas ?? []) {
    const tables: Record<string, string[]> = {}
    // Column names make `alias.` complete (lang-sql resolves `from orders o` aliases itself).
    for (const r of s.relations) tables[r.name] = r.columns ?? []
    schema[s.name] = tables
  }
  if (engine === 'mysql')
    return sql({ dialect: MySQL, schema, defaultSchema: database, upperCaseKeywords: false })
  return sql({ dialect: PostgreSQL, schema, defaultSchema: 'public', upperCaseKeywords: false })
}

/** Sets (range) or clears (null) the error mark. */
export const setErrorMark = StateEffect.define<{ from: number; to: number } | null>()

const errorMark = Decoration.mark({ class: 'cm-sql-error', attributes: { 'data-testid': 'sql-error-mark' } })

/** Holds the error decoration; edits map it, and any edit at all clears it. */
export const errorMarkField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = tr.docChanged ? Decoration.none : deco.map(tr.changes)
    for (const e of tr.effects) {
      if (e.is(setErrorMark))
        next = e.value ? Decoration.set([errorMark.range(e.value.from, e.value.to)]) : Decoration.none
    }
    return next
  },
  provide: (f) => EditorView.decorations.from(f),
})

/** Editor chrome coloured by the app's CSS variables. */
export const editorTheme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--bg-input)', color: 'var(--fg)', fontSize: '13px' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)' },
  '.cm-gutters': {
    backgroundColor: 'var(--bg-soft)',
    color: 'var(--fg-muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--bg-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-active-line)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '-2px' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': {
    backgroundColor: 'var(--selection) !important',
  },
  '.cm-tooltip': {
    backgroundColor: 'var(--bg-raised)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
  },
  '.cm-sql-error': { textDecoration: 'wavy underline var(--danger)', backgroundColor: 'var(--danger-bg)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    backgroundColor: 'var(--accent)',
    color: 'var(--on-accent)',
  },
})

/** Token colours from CSS variables, readable in both themes. */
export const editorHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.keyword, color: 'var(--syn-keyword)', fontWeight: '600' },
    { tag: [t.string, t.special(t.string)], color: 'var(--syn-string)' },
    { tag: [t.number, t.bool, t.null], color: 'var(--syn-number)' },
    { tag: [t.lineComment, t.blockComment], color: 'var(--fg-muted)', fontStyle: 'italic' },
    { tag: [t.typeName, t.standard(t.name)], color: 'var(--syn-type)' },
    { tag: t.operator, color: 'var(--syn-operator)' },
  ]),
)
