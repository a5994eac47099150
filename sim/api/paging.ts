// Opaque pagination tokens shared by the describe operations: a page's items and the token for the
// next. Tokens are bound to the operation, so one API's token is refused by another, as AWS does.
import { ApiError } from './sigv4-verify'

/** Slices `items` from the offset in `token`; `errorCode` is what the service calls a bad token. */
export function pageOf<T>(
  items: T[],
  size: number,
  token: string | undefined,
  operation: string,
  errorCode: string,
): { page: T[]; next?: string } {
  let offset = 0
  if (token) {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
        op?: string
        at?: number
      }
      if (parsed.op !== operation || typeof parsed.at !== 'number' || parsed.at < 0) throw new Error('bad')
      offset = parsed.at
    } catch {
      throw new ApiError(errorCode, 'The pagination token is invalid.')
    }
  }
  const page = items.slice(offset, offset + size)
  const at = offset + page.length
  const next =
    at < items.length ? Buffer.from(JSON.stringify({ op: operation, at })).toString('base64url') : undefined
  return { page, next }
}

/** Parses an integer request field within [min, max]; undefined when absent. */
export function boundedInt(
  raw: string | number | undefined | null,
  name: string,
  min: number,
  max: number,
  errorCode: string,
  wording: (name: string, min: number, max: number) => string,
): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError(errorCode, wording(name, min, max))
  return n
}

/** XML text escaping for the query-protocol responses. */
export const xmlEsc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
