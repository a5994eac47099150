import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMfaPrompter } from '../../../electron/aws/mfa-prompts'
import type { MfaPrompt } from '../../../shared/ipc/models'

test('a prompt is emitted with an id and resolved by its answer', async () => {
  const emitted: MfaPrompt[] = []
  const p = createMfaPrompter({ emit: (x) => emitted.push(x) })
  const code = p.mfaCodeProvider({ profile: 'admin', mfaSerial: 'arn:aws:iam::1:mfa/alice' })
  assert.equal(emitted.length, 1)
  assert.equal(emitted[0]?.profile, 'admin')
  assert.deepEqual(p.pending(), emitted)
  assert.equal(await p.answer('nope', '1'), false)
  assert.equal(await p.answer(emitted[0]?.promptId, ' 123456 '), true)
  assert.equal(await code, '123456')
  assert.equal(await p.answer(emitted[0]?.promptId, '999999'), false, 'answered once only')
  assert.deepEqual(p.pending(), [])
})

test('unanswered prompts time out as cancelled; cancelAll cancels', async () => {
  const p = createMfaPrompter({ emit: () => {}, timeoutMs: 20 })
  assert.equal(await p.mfaCodeProvider({ profile: 'a', mfaSerial: 's' }), '')
  const q = createMfaPrompter({ emit: () => {} })
  const pending = q.mfaCodeProvider({ profile: 'a', mfaSerial: 's' })
  q.cancelAll()
  assert.equal(await pending, '')
})
