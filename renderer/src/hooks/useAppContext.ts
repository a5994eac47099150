// Access to the one AppContext from any component.
import { createContext, useContext } from 'react'
import type { AppContext } from '../app-context'

/** React context carrying the AppContext built in main.tsx. */
export const AppContextReact = createContext<AppContext | null>(null)

/** The AppContext; throws if a component renders outside the provider. */
export function useAppContext(): AppContext {
  const ctx = useContext(AppContextReact)
  if (!ctx) throw new Error('useAppContext outside AppContextReact.Provider')
  return ctx
}
