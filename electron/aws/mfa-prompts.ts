// MFA prompts as data: the credential chain asks for a code, we raise `onMfaPrompt` with an id, and
// the renderer (or CLI) answers with answerMfaPrompt. Unanswered prompts time out as cancelled, so
// a closed window can never hang credential resolution.
import { randomUUID } from 'node:crypto'
import type { MfaPrompt } from '../../shared/ipc/models'
import type { MfaCodeProvider } from './aws-types'

export interface MfaPrompter {
  /** Hand this to createCredentialResolver. */
  mfaCodeProvider: MfaCodeProvider
  /** Answers a pending prompt; false if the id is unknown or already answered. '' cancels. */
  answer(promptId: string, code: string): Promise<boolean>
  /** Prompts still waiting for an answer. */
  pending(): MfaPrompt[]
  /** Cancels every pending prompt (window closed, shutdown). */
  cancelAll(): void
}

/** Creates the prompt broker; `emit` delivers each prompt to the UI (bus.emit('onMfaPrompt', …)). */
export function createMfaPrompter(options: {
  emit(prompt: MfaPrompt): void
  timeoutMs?: number
}): MfaPrompter {
  const waiting = new Map<string, { prompt: MfaPrompt; resolve(code: string): void; timer: NodeJS.Timeout }>()
  const settle = (promptId: string, code: string): boolean => {
    const w = waiting.get(promptId)
    if (!w) return false
    waiting.delete(promptId)
    clearTimeout(w.timer)
    w.resolve(code)
    return true
  }
  return {
    mfaCodeProvider: (request) =>
      new Promise<string>((resolve) => {
        const prompt: MfaPrompt = { promptId: randomUUID(), ...request }
        const timer = setTimeout(() => settle(prompt.promptId, ''), options.timeoutMs ?? 5 * 60_000)
        waiting.set(prompt.promptId, { prompt, resolve, timer })
        options.emit(prompt)
      }),
    answer: async (promptId, code) => settle(promptId, code.trim()),
    pending: () => [...waiting.values()].map((w) => w.prompt),
    cancelAll() {
      for (const id of [...waiting.keys()]) settle(id, '')
    },
  }
}
