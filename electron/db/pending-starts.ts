// A query's wait before it reaches the database (for its tunnel, then for a pooled connection).
// A cancel that lands meanwhile is remembered and honoured once the wait ends: opening a tunnel
// takes seconds, and the user may give up. One implementation for every waiting step.

/** Queries waiting to start, with the cancels that arrived while they waited. */
export interface PendingStarts {
  has(queryId: string): boolean
  readonly size: number
  /** Runs `step` for `queryId`; resolves with its value and whether a cancel arrived meanwhile. */
  wait<T>(queryId: string, step: () => Promise<T>): Promise<{ value: T; cancelled: boolean }>
  /** Marks a waiting query cancelled; false when it is not waiting. */
  cancel(queryId: string): boolean
}

/** Creates an empty set of waiting queries. */
export function createPendingStarts(): PendingStarts {
  const pending = new Map<string, boolean>()
  return {
    has: (queryId) => pending.has(queryId),
    get size() {
      return pending.size
    },
    async wait(queryId, step) {
      pending.set(queryId, false)
      try {
        const value = await step()
        return { value, cancelled: pending.get(queryId) === true }
      } finally {
        pending.delete(queryId)
      }
    },
    cancel(queryId) {
      if (!pending.has(queryId)) return false
      pending.set(queryId, true)
      return true
    },
  }
}
