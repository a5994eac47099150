// Decodes MySQL binary-protocol result rows (what COM_STMT_FETCH returns) into the same values the
// text protocol gives the grid: strings for numbers and dates (formatted as the server prints them),
// Buffers for string-family columns (mysqlCells decides text vs binary from the charset).
import type mysql from 'mysql2'

const UNSIGNED_FLAG = 32

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The shortest decimal text that reads back as the same float32 (how MySQL prints FLOAT). */
function float32Text(f: number): string {
  if (!Number.isFinite(f)) return String(f)
  for (let p = 1; p <= 9; p++) {
    const text = Number(f.toPrecision(p))
    if (Math.fround(text) === f) return String(text)
  }
  return String(f)
}

function fraction(micros: number, decimals: number): string {
  const d = decimals > 0 && decimals <= 6 ? decimals : 0
  return d ? `.${pad(micros, 6).slice(0, d)}` : ''
}

/** Reads one binary row payload (first byte 0x00) for `fields`. */
export function decodeBinaryRow(payload: Buffer, fields: mysql.FieldPacket[]): unknown[] {
  let pos = 1
  const nullBytes = Math.floor((fields.length + 7 + 2) / 8)
  const bitmap = payload.subarray(pos, pos + nullBytes)
  pos += nullBytes
  const lenenc = (): number => {
    const first = payload.readUInt8(pos++)
    if (first < 0xfb) return first
    if (first === 0xfc) {
      pos += 2
      return payload.readUInt16LE(pos - 2)
    }
    if (first === 0xfd) {
      pos += 3
      return payload.readUIntLE(pos - 3, 3)
    }
    pos += 8
    return Number(payload.readBigUInt64LE(pos - 8))
  }
  return fields.map((f, i) => {
    const bit = i + 2
    if ((bitmap[bit >> 3] ?? 0) & (1 << (bit & 7))) return null
    const unsigned = ((f.flags as number) & UNSIGNED_FLAG) !== 0
    const decimals = (f as unknown as { decimals?: number }).decimals ?? 0
    switch (f.columnType) {
      case 1: // TINY
        pos += 1
        return String(unsigned ? payload.readUInt8(pos - 1) : payload.readInt8(pos - 1))
      case 2: // SHORT
      case 13: // YEAR
        pos += 2
        return String(
          unsigned || f.columnType === 13 ? payload.readUInt16LE(pos - 2) : payload.readInt16LE(pos - 2),
        )
      case 3: // LONG
      case 9: // INT24
        pos += 4
        return String(unsigned ? payload.readUInt32LE(pos - 4) : payload.readInt32LE(pos - 4))
      case 8: // LONGLONG
        pos += 8
        return String(unsigned ? payload.readBigUInt64LE(pos - 8) : payload.readBigInt64LE(pos - 8))
      case 4: // FLOAT
        pos += 4
        return float32Text(payload.readFloatLE(pos - 4))
      case 5: // DOUBLE
        pos += 8
        return String(payload.readDoubleLE(pos - 8))
      case 6: // NULL
        return null
      case 7: // TIMESTAMP
      case 10: // DATE
      case 12: // DATETIME
      case 14: {
        const len = payload.readUInt8(pos++)
        const v = payload.subarray(pos, pos + len)
        pos += len
        const y = len >= 4 ? v.readUInt16LE(0) : 0
        const date = `${pad(y, 4)}-${pad(len >= 4 ? v.readUInt8(2) : 0)}-${pad(len >= 4 ? v.readUInt8(3) : 0)}`
        if (f.columnType === 10 || f.columnType === 14) return date
        const time = `${pad(len >= 7 ? v.readUInt8(4) : 0)}:${pad(len >= 7 ? v.readUInt8(5) : 0)}:${pad(len >= 7 ? v.readUInt8(6) : 0)}`
        return `${date} ${time}${fraction(len >= 11 ? v.readUInt32LE(7) : 0, decimals)}`
      }
      case 11: {
        // TIME: sign, days, hours, minutes, seconds, micros; printed as [-]HH:MM:SS
        const len = payload.readUInt8(pos++)
        const v = payload.subarray(pos, pos + len)
        pos += len
        if (len === 0) return `00:00:00${fraction(0, decimals)}`
        const hours = v.readUInt32LE(1) * 24 + v.readUInt8(5)
        const text = `${pad(hours)}:${pad(v.readUInt8(6))}:${pad(v.readUInt8(7))}${fraction(len >= 12 ? v.readUInt32LE(8) : 0, decimals)}`
        return v.readUInt8(0) ? `-${text}` : text
      }
      case 0: // DECIMAL
      case 246: // NEWDECIMAL
      case 245: {
        // JSON
        const n = lenenc()
        pos += n
        return payload.toString('utf8', pos - n, pos)
      }
      default: {
        // Strings, blobs, enum, set, bit, geometry: raw bytes, decided by charset later.
        const n = lenenc()
        pos += n
        return Buffer.from(payload.subarray(pos - n, pos))
      }
    }
  })
}
