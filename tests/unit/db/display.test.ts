import assert from 'node:assert/strict'
import { test } from 'node:test'
import { kindOfType, prettyJson, toCell } from '../../../electron/db/display'

test('type OIDs map to display kinds', () => {
  assert.equal(kindOfType(23), 'number')
  assert.equal(kindOfType(20), 'number')
  assert.equal(kindOfType(1700), 'number')
  assert.equal(kindOfType(701), 'number')
  assert.equal(kindOfType(16), 'bool')
  assert.equal(kindOfType(3802), 'json')
  assert.equal(kindOfType(114), 'json')
  assert.equal(kindOfType(1184), 'datetime')
  assert.equal(kindOfType(1082), 'datetime')
  assert.equal(kindOfType(17), 'binary')
  assert.equal(kindOfType(25), 'text')
  assert.equal(kindOfType(1007), 'text') // int4[]
})

test('cells are text or null; bool spelled out; precision kept', () => {
  assert.equal(toCell(null, 'text'), null)
  assert.equal(toCell('t', 'bool'), 'true')
  assert.equal(toCell('f', 'bool'), 'false')
  assert.equal(toCell('9223372036854775807', 'number'), '9223372036854775807')
  assert.equal(toCell('\\x00ff', 'binary'), '\\x00ff')
})

test('JSON is pretty-printed without losing big numbers or touching strings', () => {
  assert.equal(
    prettyJson('{"a": 12345678901234567890, "b": [1, {"c": "x, y: {z}"}], "e": {}, "f": []}'),
    '{\n  "a": 12345678901234567890,\n  "b": [\n    1,\n    {\n      "c": "x, y: {z}"\n    }\n  ],\n  "e": {},\n  "f": []\n}',
  )
  assert.equal(prettyJson('"a \\" b"'), '"a \\" b"')
  assert.equal(prettyJson('42'), '42')
})
