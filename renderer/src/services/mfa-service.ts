// MFA prompts raised by the engine while resolving credentials; answered (or cancelled) by the user.
import type { ErrorInfo } from '../../../shared/errors'
import type { PortholeApi } from '../../../shared/ipc/contract'
import type { MfaPrompt } from '../../../shared/ipc/models'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'

export interface MfaState {
  prompts: MfaPrompt[]
  error: ErrorInfo | null
}

/** Queues MFA prompts and sends answers. */
export class MfaService {
  readonly store = new Store<MfaState>({ prompts: [], error: null })

  constructor(private readonly api: PortholeApi) {}

  /** Subscribes to onMfaPrompt. */
  start(): () => void {
    return this.api.onMfaPrompt((p) =>
      this.store.setState((s) => ({ prompts: [...s.prompts, p], error: null })),
    )
  }

  /** Answers the prompt; an empty code cancels it. */
  async answer(promptId: string, code: string): Promise<void> {
    try {
      await this.api.answerMfaPrompt({ promptId, code })
      this.store.setState((s) => ({ prompts: s.prompts.filter((p) => p.promptId !== promptId), error: null }))
    } catch (err) {
      const error = errorInfoOf(err)
      // A prompt the engine no longer knows cannot be answered: drop it.
      const drop = error.code === 'NOT_FOUND'
      this.store.setState((s) => ({
        error: drop ? null : error,
        prompts: drop ? s.prompts.filter((p) => p.promptId !== promptId) : s.prompts,
      }))
    }
  }
}
