// Small display formatters shared by components.

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** Milliseconds → "1h 02m 03s" / "4m 05s" / "12s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const pad = (x: number): string => String(x).padStart(2, '0')
  if (h) return `${h}h ${pad(m)}m ${pad(sec)}s`
  if (m) return `${m}m ${pad(sec)}s`
  return `${sec}s`
}

/** 12345 → "12,345"; null → "?". */
export function formatCount(n: number | null): string {
  return n === null ? '?' : n.toLocaleString('en-US')
}
