// Teleport `useStoreSelector`: components read a slice of a store and re-render only when that
// slice changes (by reference), through React's useSyncExternalStore.
import { useSyncExternalStore } from 'react'
import type { Store } from '../state/store'

/** Returns `selector(store state)`, re-rendering when it changes. Selectors must not allocate. */
export function useStoreSelector<T extends object, S>(store: Store<T>, selector: (state: T) => S): S {
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()))
}
