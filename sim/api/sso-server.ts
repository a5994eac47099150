// The Identity Center endpoints on their own loopback HTTP server: OIDC (AWS_ENDPOINT_URL_SSO_OIDC)
// and the portal (AWS_ENDPOINT_URL_SSO) share it, routed by path as the real hosts' paths differ.
// Both are unsigned. It also serves the verification page a user opens (approve or deny a code)
// and an admin path that tests and scripts use for the same browser step.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SimIam } from '../iam'
import { xmlEsc as esc } from './paging'
import { ApiError } from './sigv4-verify'
import { OidcError, SimOidc } from './sso-oidc'
import { runPortalOperation, type SimSsoAccount } from './sso-portal'

export interface SsoServerOptions {
  iam: SimIam
  region: string
  startUrl: string
  accounts: SimSsoAccount[]
  intervalSec?: number
  deviceCodeTtlSec?: number
  accessTokenTtlSec?: number
  credentialTtlSec?: number
  pageSize?: number
  logger?: { debug(msg: string): void }
}

export interface SsoServer {
  endpoint: string
  oidc: SimOidc
  close(): Promise<void>
}

const OIDC_PATHS: Record<string, 'registerClient' | 'startDeviceAuthorization' | 'createToken'> = {
  '/client/register': 'registerClient',
  '/device_authorization': 'startDeviceAuthorization',
  '/token': 'createToken',
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function page(userCode: string, note: string): string {
  const code = esc(userCode)
  return `<!doctype html><meta charset="utf-8"><title>Porthole simulator: sign in</title>
<body style="font:15px system-ui;max-width:34em;margin:3em auto">
<h1>Simulated AWS access portal</h1><p>${esc(note)}</p>
<form method="post" action="/__sim/device"><label>Code <input name="user_code" value="${code}"></label>
<button name="decision" value="approve">Allow access</button> <button name="decision" value="deny">Deny</button></form>`
}

/** Starts the SSO server on 127.0.0.1:0. */
export async function startSsoServer(options: SsoServerOptions): Promise<SsoServer> {
  let endpoint = ''
  const oidc = new SimOidc({
    startUrls: [options.startUrl],
    intervalSec: options.intervalSec ?? 1,
    deviceCodeTtlSec: options.deviceCodeTtlSec ?? 600,
    accessTokenTtlSec: options.accessTokenTtlSec ?? 8 * 3600,
    verificationUri: () => `${endpoint}/device`,
  })
  const portal = {
    iam: options.iam,
    accounts: options.accounts,
    accessTokens: oidc.accessTokens,
    credentialTtlSec: options.credentialTtlSec ?? 3600,
    pageSize: options.pageSize ?? 2,
    userName: 'dev@example.com',
  }

  const send = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...extra })
    res.end(JSON.stringify(body))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim')
    const method = req.method ?? 'GET'
    try {
      const raw = await readBody(req)
      if (url.pathname === '/device' && method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        res.end(
          page(
            url.searchParams.get('user_code') ?? '',
            'Check that the code matches the one Porthole shows.',
          ),
        )
        return
      }
      if (url.pathname === '/__sim/device' && method === 'POST') {
        const form = new URLSearchParams(raw || url.search)
        const decision = form.get('decision') ?? ''
        if (decision !== 'approve' && decision !== 'deny' && decision !== 'expire')
          throw new ApiError('InvalidRequestException', 'decision must be approve, deny or expire')
        const ok = oidc.decide(form.get('user_code') ?? '', decision)
        if ((req.headers.accept ?? '').includes('text/html')) {
          res.writeHead(ok ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
          res.end(
            page(
              '',
              ok ? `Done (${decision}). You can close this page.` : 'No pending request has that code.',
            ),
          )
        } else send(res, ok ? 200 : 404, { ok })
        return
      }
      const op = OIDC_PATHS[url.pathname]
      if (op && method === 'POST') {
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}
        options.logger?.debug(`sso-oidc ${op}`)
        send(res, 200, oidc[op](body))
        return
      }
      const token = req.headers['x-amz-sso_bearer_token']
      options.logger?.debug(`sso-portal ${method} ${url.pathname}`)
      send(res, 200, runPortalOperation(portal, method, url, typeof token === 'string' ? token : undefined))
    } catch (err) {
      const e =
        err instanceof ApiError
          ? err
          : err instanceof SyntaxError
            ? new ApiError('InvalidRequestException', 'Malformed JSON body')
            : new ApiError('InternalServerException', 'Internal error', 500)
      options.logger?.debug(`sso refused: ${e.code} ${e.message}`)
      const body =
        e instanceof OidcError ? { error: e.error, error_description: e.message } : { message: e.message }
      send(res, e.status, body, { 'x-amzn-errortype': e.code })
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    endpoint,
    oidc,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
