// The grid's pure rules: the scaled scroll space lines up at both ends for a million rows; sort
// keeps NULLs last and numbers numeric; the filter matches NULL; TSV/CSV quote correctly, keep NULL
// distinct from the empty string and copy JSON compact.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  compactJson,
  formatField,
  MAX_SCROLL_PX,
  scrollGeometry,
  scrollTopFor,
  toDelimited,
  viewOrder,
  virtualTop,
} from '../../../renderer/src/components/grid-model'
import type { Column } from '../../../shared/ipc/models'

test('small results are not scaled; a million rows are, and both ends line up', () => {
  assert.deepEqual(scrollGeometry(1000, 26, 500), { bodyHeight: 26_000, ratio: 1 })
  const rows = 1_000_000
  const viewport = 600
  const g = scrollGeometry(rows, 26, viewport)
  assert.equal(g.bodyHeight, MAX_SCROLL_PX)
  assert.ok(g.ratio > 3)
  assert.equal(virtualTop(0, g), 0)
  const maxScroll = g.bodyHeight - viewport
  assert.ok(Math.abs(virtualTop(maxScroll, g) - (rows * 26 - viewport)) < 1e-6, 'last row ends at the bottom')
  const row = 765_432
  assert.ok(Math.abs(virtualTop(scrollTopFor(row * 26, g), g) - row * 26) < 1e-6)
})

const cols: Column[] = [
  { name: 'n', typeName: 'int4', kind: 'number' },
  { name: 't', typeName: 'text', kind: 'text' },
]

test('sort: numbers by value, NULLs last both ways, stable; filter matches text and NULL', () => {
  const rows = [
    ['10', 'b'],
    [null, 'a'],
    ['9', null],
    ['10', 'a'],
  ]
  assert.deepEqual(viewOrder(rows, cols, { col: 0, dir: 'asc' }, ''), [2, 0, 3, 1])
  assert.deepEqual(viewOrder(rows, cols, { col: 0, dir: 'desc' }, ''), [0, 3, 2, 1])
  assert.deepEqual(viewOrder(rows, cols, null, 'A'), [1, 3])
  assert.deepEqual(viewOrder(rows, cols, null, 'nul'), [1, 2])
  assert.equal(viewOrder(rows, cols, null, '  '), null, 'no view: rows as fetched')
})

test('fields: NULL empty, empty string quoted, delimiters, quotes and newlines quoted', () => {
  assert.equal(formatField(null, 'text', ','), '')
  assert.equal(formatField('', 'text', ','), '""')
  assert.equal(formatField('a,b', 'text', ','), '"a,b"')
  assert.equal(formatField('a,b', 'text', '\t'), 'a,b')
  assert.equal(formatField('say "hi"', 'text', ','), '"say ""hi"""')
  assert.equal(formatField('say "hi"', 'text', '\t'), 'say "hi"', 'TSV leaves inner quotes alone')
  assert.equal(formatField('"q"', 'text', '\t'), '"""q"""')
  assert.equal(formatField('a\tb', 'text', '\t'), '"a\tb"')
  assert.equal(formatField('two\nlines', 'text', ','), '"two\nlines"')
  assert.equal(formatField('{\n  "a": [\n    1,\n    "x y"\n  ]\n}', 'json', ','), '"{""a"":[1,""x y""]}"')
  assert.equal(compactJson('{\n  "k": "a \\" b",\n  "n": 1\n}'), '{"k":"a \\" b","n":1}')
})

test('a rectangle as CSV with a header, and as TSV without', () => {
  const json: Column = { name: 'doc', typeName: 'jsonb', kind: 'json' }
  const rows = [
    ['1', '', '{\n  "a": 1\n}'],
    [null, 'x', null],
  ]
  const all = [...cols, json]
  assert.equal(
    toDelimited(rows, all, 0, 2, { delimiter: ',', header: true }),
    'n,t,doc\n1,"","{""a"":1}"\n,x,',
  )
  assert.equal(toDelimited(rows, all, 1, 2, { delimiter: '\t', header: false }), '""\t{"a":1}\nx\t')
})
