// Binary-protocol rows (COM_STMT_FETCH) decoded to the text the text protocol would give, against
// payloads built by hand from the protocol description (no code shared with the decoder).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type mysql from 'mysql2'
import { decodeBinaryRow } from '../../../electron/db/mysql-binary-row'

const field = (columnType: number, flags = 0, decimals = 0) =>
  ({ name: `c${columnType}`, columnType, flags, decimals }) as unknown as mysql.FieldPacket

test('integers, unsigned, floats, decimals, strings and NULL', () => {
  const fields = [
    field(8),
    field(8, 32),
    field(3),
    field(1),
    field(4),
    field(5),
    field(246),
    field(253),
    field(253),
  ]
  // header 0x00, NULL bitmap of (9 + 7 + 2) / 8 = 2 bytes: column 8 (bit 10) is NULL.
  const payload = Buffer.concat([
    Buffer.from([0x00, 0x00, 0x04]),
    Buffer.from('0100000000002000', 'hex'), // 9007199254740993 as int64 LE
    Buffer.from('ffffffffffffffff', 'hex'), // 18446744073709551615 unsigned
    Buffer.from('feffffff', 'hex'), // -2
    Buffer.from([0x7f]),
    Buffer.from('cdcccc3d', 'hex'), // float32 0.1
    Buffer.from('9a9999999999b93f', 'hex'), // double 0.1
    Buffer.from([4, ...Buffer.from('1.50')]),
    Buffer.from([3, ...Buffer.from('abc')]),
  ])
  assert.deepEqual(decodeBinaryRow(payload, fields), [
    '9007199254740993',
    '18446744073709551615',
    '-2',
    '127',
    '0.1',
    '0.1',
    '1.50',
    Buffer.from('abc'),
    null,
  ])
})

test('DATETIME(6), DATE and negative TIME print like the server', () => {
  const fields = [field(12, 0, 6), field(10), field(11, 0, 0), field(12, 0, 0)]
  const dt = Buffer.from([11, 0xe8, 0x07, 2, 29, 12, 34, 56, 0x40, 0xe2, 0x01, 0x00]) // 2024-02-29 12:34:56.123456
  const d = Buffer.from([4, 0xe8, 0x07, 1, 2])
  const t = Buffer.from([8, 1, 1, 0, 0, 0, 2, 3, 4]) // -(1 day 02:03:04)
  const zero = Buffer.from([0])
  const payload = Buffer.concat([Buffer.from([0x00, 0x00]), dt, d, t, zero])
  assert.deepEqual(decodeBinaryRow(payload, fields), [
    '2024-02-29 12:34:56.123456',
    '2024-01-02',
    '-26:03:04',
    '0000-00-00 00:00:00',
  ])
})
