// Where the app is served from, and the one way to compare origins. Node's WHATWG URL gives
// `origin === 'null'` for non-special schemes such as app://, so `new URL(x).origin` alone would
// make every app:// URL look alike; we compare scheme + host + port explicitly instead.

/** Custom scheme the production renderer is served from (checklist item 18: avoid file://). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'porthole'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** `scheme://host[:port]` of a URL, or null if it does not parse. Works for app:// and http(s)://. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    if (!parsed.host) return null
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return null
  }
}

/** True when `url` is exactly on `origin` (never a prefix test: app://porthole.evil is not ours). */
export function isSameOrigin(url: string, origin: string): boolean {
  return originOf(url) === origin
}
