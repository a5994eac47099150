// UI-only state: theme, active view, open dialog and toasts. Nothing here mirrors engine state.

import type { ImportPreview } from '../../../shared/ipc/models'
import type { TargetId } from '../../../shared/target-schema'
import { Store } from '../state/store'
import type { DisconnectImpact } from './tunnels-service'

export type ThemeChoice = 'system' | 'light' | 'dark'
export type MainView = 'browse' | 'sql'
export type Dialog =
  | { kind: 'target-form'; targetId: TargetId | null }
  | { kind: 'delete-target'; targetId: TargetId }
  | { kind: 'conn-strings'; targetId: TargetId }
  | { kind: 'shortcuts' }
  | { kind: 'confirm-disconnect'; targetId: TargetId; impact: DisconnectImpact }
  | { kind: 'import-preview'; json: string; preview: ImportPreview }
  | null

export interface Toast {
  id: number
  kind: 'info' | 'error'
  text: string
}

export interface UiState {
  theme: ThemeChoice
  view: MainView
  dialog: Dialog
  toasts: Toast[]
}

const THEME_KEY = 'porthole.theme'

/** Owns the UI store; theme choice survives reloads in localStorage (not a secret). */
export class UiService {
  readonly store: Store<UiState>
  private nextToast = 1

  constructor() {
    const saved = safeGet(THEME_KEY)
    const theme: ThemeChoice = saved === 'light' || saved === 'dark' ? saved : 'system'
    this.store = new Store<UiState>({ theme, view: 'browse', dialog: null, toasts: [] })
  }

  /** Where a chosen theme is also kept (main's settings file: the browser UI's origin changes per run). */
  saveTheme: (theme: ThemeChoice) => void = () => {}

  /** Cycles system → light → dark → system. */
  cycleTheme(): void {
    const order: ThemeChoice[] = ['system', 'light', 'dark']
    const theme = order[(order.indexOf(this.store.getState().theme) + 1) % order.length]!
    safeSet(THEME_KEY, theme)
    this.store.setState({ theme })
    this.saveTheme(theme)
  }

  /** Takes the theme main kept; a choice only this page remembers is handed to main instead. */
  adoptSavedTheme(saved: ThemeChoice): void {
    const local = this.store.getState().theme
    if (saved === 'system' && local !== 'system') {
      this.saveTheme(local)
      return
    }
    safeSet(THEME_KEY, saved)
    this.store.setState({ theme: saved })
  }

  /** Switches between the table browser and the SQL console. */
  setView(view: MainView): void {
    this.store.setState({ view })
  }

  /** Opens a dialog (or closes with null). */
  openDialog(dialog: Dialog): void {
    this.store.setState({ dialog })
  }

  /** Shows a short message that disappears by itself. */
  toast(text: string, kind: Toast['kind'] = 'info'): void {
    const id = this.nextToast++
    this.store.setState((s) => ({ toasts: [...s.toasts, { id, kind, text }].slice(-4) }))
    setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : 4000)
  }

  /** Removes one toast. */
  dismiss(id: number): void {
    this.store.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
  }
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Storage can be disabled; the theme then simply resets on reload.
  }
}
