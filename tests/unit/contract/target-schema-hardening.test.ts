// Issue 11 items 6, 10 and 11: what the target schema refuses now that a security review looked at it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { targetInputSchema } from '../../../shared/target-schema'

const base = {
  name: 'orders',
  region: 'eu-west-1',
  instanceId: 'i-0123456789abcdef0',
  rdsHost: 'db.abc123.eu-west-1.rds.amazonaws.com',
  database: 'app',
  dbUser: 'reader',
}

function problem(extra: Record<string, unknown>): string | null {
  const r = targetInputSchema.safeParse({ ...base, ...extra })
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')
}

describe('target schema hardening (issue 11)', () => {
  it('item 10: names, database and user refuse bidi/format characters (\\p{Cf})', () => {
    const rlo = '\u202E'
    assert.equal(
      problem({ name: `invoice${rlo}fdp.exe` }),
      'name must not contain control or invisible format characters',
    )
    assert.equal(
      problem({ name: 'zero\u200Bwidth' }),
      'name must not contain control or invisible format characters',
    )
    assert.equal(problem({ database: `app${rlo}` }), 'database is not a valid database name')
    assert.equal(problem({ dbUser: `\u2066reader` }), 'dbUser is not a valid database user name')
    // Ordinary non-ASCII text stays allowed.
    assert.equal(problem({ name: 'Bestellungen – Zürich' }), null)
  })

  it('item 11: ports and the pool size are digits only (no 1e3, 0x10, blanks or signs)', () => {
    for (const bad of ['1e3', '0x10', '', ' ', '+5432', '-1', '5432.0', '0b101', 'Infinity']) {
      assert.equal(problem({ rdsPort: bad }), 'rdsPort must be a whole number written in digits', bad)
      assert.equal(problem({ localPort: bad }), 'localPort must be a whole number written in digits', bad)
      assert.equal(problem({ sessionPool: bad }), 'sessionPool must be a whole number written in digits', bad)
    }
    const ok = targetInputSchema.parse({ ...base, rdsPort: ' 5433 ', localPort: '15432', sessionPool: '4' })
    assert.deepEqual([ok.rdsPort, ok.localPort, ok.sessionPool], [5433, 15432, 4])
    assert.equal(targetInputSchema.parse({ ...base, rdsPort: 3306 }).rdsPort, 3306)
    assert.equal(problem({ rdsPort: '70000' }), 'rdsPort must be 1-65535')
    assert.equal(problem({ rdsPort: 1.5 }), 'rdsPort must be a whole number')
  })

  it('messages zod writes itself are English and say what was wrong (mini registers no locale)', () => {
    // This file loads only the target schema (zod/mini), as every CLI command does at start.
    assert.equal(problem({ name: 5 }), 'name Invalid input: expected string, received number')
    assert.equal(problem({ engine: 'oracle' }), 'engine Invalid option: expected one of "postgres"|"mysql"')
    assert.match(problem({ surprise: 1 }) ?? '', /^ Unrecognized key: "surprise"$/)
  })

  it('item 6: endpointUrl allows http and https only', () => {
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      'ftp://example.com',
    ]) {
      assert.equal(problem({ endpointUrl: bad }), 'endpointUrl must be an http:// or https:// URL', bad)
    }
    assert.equal(problem({ endpointUrl: 'https://ssm.example.internal' }), null)
    assert.equal(problem({ endpointUrl: 'http://127.0.0.1:4566' }), null)
  })
})
