import assert from 'node:assert/strict'
import { test } from 'node:test'
import { csvField, csvRecord, jsonObject } from '../../../electron/db/export-format'

test('CSV quoting follows RFC 4180', () => {
  assert.equal(csvField('plain'), 'plain')
  assert.equal(csvField(null), '')
  assert.equal(csvField('a,b'), '"a,b"')
  assert.equal(csvField('say "hi"'), '"say ""hi"""')
  assert.equal(csvField('line1\nline2'), '"line1\nline2"')
  assert.equal(csvField('cr\r'), '"cr\r"')
  assert.equal(csvRecord(['a', null, 'b,c']), 'a,,"b,c"\r\n')
})

test('JSON export keeps numbers exact, embeds json, strings the rest', () => {
  const cols = [
    { name: 'n', typeName: 'int8', kind: 'number' as const },
    { name: 'j', typeName: 'jsonb', kind: 'json' as const },
    { name: 'b', typeName: 'bool', kind: 'bool' as const },
    { name: 's', typeName: 'text', kind: 'text' as const },
    { name: 'x', typeName: 'float8', kind: 'number' as const },
  ]
  const text = jsonObject(['9223372036854775807', '{"a": [1]}', 't', 'q"uote', 'NaN'], cols)
  assert.equal(text, '{"n":9223372036854775807,"j":{"a": [1]},"b":true,"s":"q\\"uote","x":"NaN"}')
  assert.deepEqual(JSON.parse(jsonObject([null, null, null, null, '1.5'], cols)), {
    n: null,
    j: null,
    b: null,
    s: null,
    x: 1.5,
  })
})
