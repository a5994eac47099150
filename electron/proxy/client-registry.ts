// The clients connected to one target's proxy: who (application_name, user, database), since when,
// bytes each way. The manager reads it for status and the audit log; ended clients are reported
// once with how they ended.
import { randomBytes } from 'node:crypto'

export interface ProxyClient {
  id: string
  transport: 'tcp' | 'unix'
  user: string
  database: string
  applicationName: string
  since: number
  /** Bytes from the database to the client. */
  bytesIn: number
  /** Bytes from the client to the database. */
  bytesOut: number
  /** SSM session ids of the tunnel it rides on (set once the upstream is open). */
  sessionIds: string[]
}

export interface ClientHandle {
  readonly client: ProxyClient
  /** Records how the client ended (once) and removes it from the list. */
  end(how: string): void
}

/** Live clients of one proxy, with change and end notifications. */
export class ClientRegistry {
  private readonly clients = new Map<string, ProxyClient>()
  private readonly changeListeners = new Set<() => void>()
  private readonly endListeners = new Set<(client: ProxyClient, how: string, endedAt: number) => void>()

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Adds a client; the returned handle's `end` removes it. */
  add(fields: Omit<ProxyClient, 'id' | 'since' | 'bytesIn' | 'bytesOut' | 'sessionIds'>): ClientHandle {
    const client: ProxyClient = {
      ...fields,
      id: randomBytes(6).toString('base64url'),
      since: this.now(),
      bytesIn: 0,
      bytesOut: 0,
      sessionIds: [],
    }
    this.clients.set(client.id, client)
    this.changed()
    let ended = false
    return {
      client,
      end: (how) => {
        if (ended) return
        ended = true
        this.clients.delete(client.id)
        for (const l of [...this.endListeners]) l(client, how, this.now())
        this.changed()
      },
    }
  }

  list(): ProxyClient[] {
    return [...this.clients.values()].map((c) => ({ ...c, sessionIds: [...c.sessionIds] }))
  }

  get size(): number {
    return this.clients.size
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  onEnded(listener: (client: ProxyClient, how: string, endedAt: number) => void): () => void {
    this.endListeners.add(listener)
    return () => this.endListeners.delete(listener)
  }

  private changed(): void {
    for (const l of [...this.changeListeners]) l()
  }
}
