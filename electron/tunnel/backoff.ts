// Retry policy of the plugin's data-channel reconnects (docs/protocol.md §1, [P] config.go): exponential,
// ratio 2, initial delay 100–199 ms, at most 5 s, 5 attempts. Also used for StartSession throttling.

export interface BackoffPolicy {
  attempts: number
  initialMinMs: number
  initialMaxMs: number
  ratio: number
  maxMs: number
}

export const PLUGIN_RETRY: BackoffPolicy = {
  attempts: 5,
  initialMinMs: 100,
  initialMaxMs: 199,
  ratio: 2,
  maxMs: 5000,
}

/** Delay before retry number `attempt` (0-based), jittered within the initial range. */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const initial = policy.initialMinMs + Math.floor(random() * (policy.initialMaxMs - policy.initialMinMs + 1))
  return Math.min(policy.maxMs, initial * policy.ratio ** attempt)
}

/** Resolves after `ms` without holding the process open. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
