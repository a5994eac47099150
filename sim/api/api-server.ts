// One loopback HTTP endpoint for SSM (JSON 1.1), STS and RDS (query protocol). Requests are routed
// by the service in their SigV4 credential scope, so AWS_ENDPOINT_URL=<this> plugs in every client.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ec2ErrorXml, runEc2Operation } from './ec2-describe'
import type { SimInventory } from './inventory'
import { queryErrorXml, runStsOperation, type SimDatabase } from './query-operations'
import { runRdsDescribe } from './rds-describe'
import { ApiError, verifySigV4 } from './sigv4-verify'
import { describeInstanceInformation } from './ssm-describe'
import { runSsmOperation, type SsmContext } from './ssm-operations'

export interface ApiServerOptions extends SsmContext {
  databases: () => SimDatabase[]
  /** What the describe operations (RDS, EC2, SSM DescribeInstanceInformation) list. */
  inventory: SimInventory
  /** API calls per second per principal before ThrottlingException; null = unlimited. */
  rate: { perSecond: number | null }
  logger?: { debug(msg: string): void }
  now?: () => number
}

export interface ApiServer {
  endpoint: string
  close(): Promise<void>
}

const MAX_BODY = 1024 * 1024

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) reject(new ApiError('SerializationException', 'Request body too large', 413))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Starts the API endpoint on 127.0.0.1:0. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const throttled = (key: string): boolean => {
    const rate = options.rate.perSecond
    if (rate === null) return false
    const now = Date.now()
    const b = buckets.get(key) ?? { tokens: rate, at: now }
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate)
    b.at = now
    buckets.set(key, b)
    if (b.tokens < 1) return true
    b.tokens -= 1
    return false
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let service = 'ssm'
    try {
      const body = await readBody(req)
      const url = new URL(req.url ?? '/', 'http://sim')
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
      service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '')?.[1] ?? 'ssm'
      const rawUrl = req.url ?? '/'
      const q = rawUrl.indexOf('?')
      const verified = await verifySigV4(
        {
          method: req.method ?? 'GET',
          path: q < 0 ? rawUrl : rawUrl.slice(0, q),
          rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
          headers,
          body,
        },
        { region: options.region, lookup: options.iam.lookup, now: options.now },
      )
      if (throttled(verified.principal.accessKeyId))
        throw new ApiError('ThrottlingException', 'Rate exceeded')
      if (service === 'ssm') {
        const op = (headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '')
        options.logger?.debug(`SSM ${op} by ${verified.principal.arn}`)
        const json = body ? (JSON.parse(body) as Record<string, unknown>) : {}
        const out =
          op === 'DescribeInstanceInformation'
            ? describeInstanceInformation(options, json, verified.principal)
            : runSsmOperation(options, op, json, verified.principal)
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() })
        res.end(JSON.stringify(out))
        return
      }
      const form = new URLSearchParams(body || url.search)
      const xml =
        service === 'sts'
          ? runStsOperation(form, verified.principal, options.accountId)
          : service === 'rds'
            ? runRdsDescribe(options, form, verified.principal)
            : service === 'ec2'
              ? runEc2Operation(options, form, verified.principal)
              : (() => {
                  throw new ApiError('UnknownServiceException', `The simulator does not serve ${service}`)
                })()
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.end(xml)
    } catch (err) {
      const e =
        err instanceof ApiError
          ? err
          : err instanceof SyntaxError
            ? new ApiError('SerializationException', 'Malformed JSON body')
            : new ApiError('InternalServerError', 'Internal error', 500)
      options.logger?.debug(`${service} refused: ${e.code} ${e.message}`)
      if (service === 'ssm') {
        res.writeHead(e.status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': randomUUID(),
        })
        res.end(JSON.stringify({ __type: e.code, message: e.message }))
      } else {
        res.writeHead(e.status === 400 ? 400 : e.status, { 'content-type': 'text/xml' })
        res.end(service === 'ec2' ? ec2ErrorXml(e.code, e.message) : queryErrorXml(e.code, e.message))
      }
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
