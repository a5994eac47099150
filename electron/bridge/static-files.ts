// Serves the built renderer from one directory, refusing anything that resolves outside it
// (`..`, encoded `%2e%2e`, absolute paths, NUL bytes) and never following a path the client typed
// into a directory listing.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

/**
 * Maps a request path to a file inside `root`, or null if it would escape `root` or is malformed.
 * `/` maps to index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const base = resolve(root)
  const file = resolve(base, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`)
  return file.startsWith(base + sep) ? file : null
}

/** Answers a GET/HEAD for a static file with `headers`; 404 when absent, 403 when refused. */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const file = resolveStaticPath(root, path)
  if (!file) return plain(res, 403, 'Forbidden', headers)
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return plain(res, 404, 'Not found', headers)
  res.writeHead(200, {
    ...headers,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}

/** A short text response. */
export function plain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(`${text}\n`)
}
