// Applies the theme choice to <html data-theme>, following prefers-color-scheme for "system".
import { useEffect } from 'react'
import { useAppContext } from './useAppContext'
import { useStoreSelector } from './useStoreSelector'

/** Keeps `data-theme` in sync with the choice and the OS preference. */
export function useTheme(): void {
  const ctx = useAppContext()
  const choice = useStoreSelector(ctx.ui.store, (s) => s.theme)
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)')
    const apply = (): void => {
      const dark = choice === 'dark' || (choice === 'system' && media.matches)
      document.documentElement.dataset.theme = dark ? 'dark' : 'light'
      document.documentElement.dataset.themeChoice = choice
    }
    apply()
    media.addEventListener('change', apply)
    return () => media.removeEventListener('change', apply)
  }, [choice])
}
