// The proxy hands every client its own BackendKeyData (process id + 4-byte key) and remembers
// which upstream backend it stands for, so a CancelRequest from the client can be re-issued to the
// database with the database's key. Keys are compared in constant time and never logged.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** The upstream backend a proxy key stands for, and how to reach it. */
export interface CancelTarget<R> {
  upstream: { processId: number; secretKey: Buffer }
  route: R
}

/** Issues proxy keys and resolves CancelRequests to upstream keys. */
export class CancelKeys<R> {
  private readonly byProcessId = new Map<number, { key: Buffer; target: CancelTarget<R> }>()

  /** A fresh (processId, key) for one client session. */
  issue(target: CancelTarget<R>): { processId: number; secretKey: Buffer } {
    let processId: number
    do processId = randomInt(1, 0x7fffffff)
    while (this.byProcessId.has(processId))
    const secretKey = randomBytes(4)
    this.byProcessId.set(processId, { key: secretKey, target })
    return { processId, secretKey }
  }

  /** The upstream target for a client's CancelRequest, or undefined when the key does not match. */
  resolve(processId: number, secretKey: Buffer): CancelTarget<R> | undefined {
    const entry = this.byProcessId.get(processId)
    if (!entry || entry.key.length !== secretKey.length) return undefined
    return timingSafeEqual(entry.key, secretKey) ? entry.target : undefined
  }

  /** Forgets a session's key when it ends. */
  release(processId: number): void {
    this.byProcessId.delete(processId)
  }

  get size(): number {
    return this.byProcessId.size
  }
}
