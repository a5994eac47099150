// One pipelined extended-protocol batch on a pg client: every step's messages go out in one write,
// ended by a single Sync, so the whole batch costs one network round trip. pg's Client runs it as a
// "submittable" (the same seam pg-cursor uses) and routes the backend's answers here in order.
//
// Steps: `exec` runs a statement to completion on the unnamed portal (BEGIN, COMMIT, a probe);
// `open` parses a user statement into a named portal, describes it and executes up to maxRows (0 =
// all); `fetch` executes maxRows more of an open portal; `close` closes a portal. A named portal
// survives the Sync only inside a transaction block, which is why the runner wraps statements in one.
import type pg from 'pg'
import type { EarlyQueue } from './pg-connect'
import type { FieldLike } from './type-names'

export type BatchStep =
  | { kind: 'exec'; text: string }
  | { kind: 'open'; text: string; portal: string; maxRows: number }
  | { kind: 'fetch'; portal: string; maxRows: number }
  | { kind: 'close'; portal: string }

export interface StepResult {
  fields: FieldLike[] | null
  rows: (string | null)[][]
  command: string | null
  rowCount: number | null
  /** The portal stopped at maxRows with more rows to read. */
  suspended: boolean
}

export interface BatchResult {
  steps: StepResult[]
  /** The server error that stopped the batch, with the index of the step it belongs to. */
  error: { step: number; err: unknown } | null
  /** Transaction status after the batch: I idle, T in a block, E failed block (pg's letters). */
  txStatus: string
}

interface Wire {
  parse(q: { text: string; name?: string }): void
  bind(c: { portal?: string; statement?: string; values?: unknown[] }): void
  describe(m: { type: 'P' | 'S'; name?: string }): void
  execute(c: { portal?: string; rows?: number }): void
  close(m: { type: 'P' | 'S'; name?: string }): void
  sync(): void
  sendCopyFail(msg: string): void
  once(event: 'readyForQuery' | 'end', cb: () => void): void
  removeListener(event: 'readyForQuery' | 'end', cb: () => void): void
  stream: { cork(): void; uncork(): void }
}

const emptyStep = (): StepResult => ({
  fields: null,
  rows: [],
  command: null,
  rowCount: null,
  suspended: false,
})

/** "INSERT 0 5" → command INSERT, rowCount 5; "SELECT 3" → SELECT, 3; "BEGIN" → BEGIN, null. */
export function parseCommandTag(tag: string): { command: string | null; rowCount: number | null } {
  const m = /^([A-Za-z]+(?: [A-Za-z]+)*)(?: \d+)?(?: (\d+))?$/.exec(tag.trim())
  if (!m) return { command: tag || null, rowCount: null }
  const count = /(\d+)$/.exec(tag)?.[1]
  return { command: m[1] ?? null, rowCount: count === undefined ? null : Number(count) }
}

/** The pg submittable for one batch; `promise` settles once the backend is ready again. */
class Batch {
  readonly promise: Promise<BatchResult>
  private resolve!: (r: BatchResult) => void
  private readonly results: StepResult[]
  private current = 0
  private done = false
  /** Its messages are on the wire (by submit, or ahead of time behind the previous batch). */
  written = false

  constructor(
    readonly steps: BatchStep[],
    private readonly client: pg.ClientBase,
  ) {
    this.results = steps.map(emptyStep)
    this.promise = new Promise((resolve) => {
      this.resolve = resolve
    })
  }

  get settled(): boolean {
    return this.done
  }

  submit(connection: Wire): void {
    if (!this.written) this.write(connection)
    // Close steps answer CloseComplete, which pg does not route to queries: count them as done.
    this.skipCloses()
  }

  /** Writes every step and the Sync. */
  write(connection: Wire): void {
    this.written = true
    // One write for the whole batch: the tunnel carries it as one message, the server answers once.
    connection.stream.cork()
    for (const step of this.steps) {
      if (step.kind === 'exec') {
        connection.parse({ text: step.text })
        connection.bind({})
        connection.execute({ rows: 0 })
      } else if (step.kind === 'open') {
        connection.parse({ text: step.text })
        connection.bind({ portal: step.portal })
        connection.describe({ type: 'P', name: step.portal })
        connection.execute({ portal: step.portal, rows: step.maxRows })
      } else if (step.kind === 'fetch') {
        connection.execute({ portal: step.portal, rows: step.maxRows })
      } else connection.close({ type: 'P', name: step.portal })
    }
    connection.sync()
    process.nextTick(() => connection.stream.uncork())
  }

  private skipCloses(): void {
    while (this.steps[this.current]?.kind === 'close') this.current++
  }

  private step(): StepResult {
    return this.results[Math.min(this.current, this.results.length - 1)]!
  }

  private advance(): void {
    this.current++
    this.skipCloses()
  }

  handleRowDescription(msg: { fields: FieldLike[] }): void {
    this.step().fields = msg.fields
  }

  handleDataRow(msg: { fields: (string | null)[] }): void {
    this.step().rows.push(msg.fields)
  }

  handlePortalSuspended(): void {
    this.step().suspended = true
    this.advance()
  }

  handleCommandComplete(msg: { text: string }): void {
    Object.assign(this.step(), parseCommandTag(msg.text))
    this.advance()
  }

  handleEmptyQuery(): void {
    this.advance()
  }

  handleCopyInResponse(connection: Wire): void {
    connection.sendCopyFail('COPY FROM STDIN is not supported in the SQL console')
  }

  handleCopyData(): void {}

  handleReadyForQuery(): void {
    this.finish(null)
  }

  handleError(err: unknown, connection?: Wire): void {
    const failed = { step: Math.min(this.current, this.steps.length - 1), err }
    // A server error is followed by ReadyForQuery (pg no longer routes it to us); a dead socket is not.
    const fromServer = typeof (err as { severity?: unknown }).severity === 'string'
    if (!fromServer || !connection) {
      this.finish(failed)
      return
    }
    // The socket may die before that ReadyForQuery: settle on whichever comes first.
    const settle = () => {
      connection.removeListener('readyForQuery', settle)
      connection.removeListener('end', settle)
      this.finish(failed)
    }
    connection.once('readyForQuery', settle)
    connection.once('end', settle)
  }

  private finish(error: BatchResult['error']): void {
    if (this.done) return
    this.done = true
    const txStatus = (
      this.client as unknown as { getTransactionStatus(): string | null }
    ).getTransactionStatus()
    this.resolve({ steps: this.results, error, txStatus: txStatus ?? 'I' })
  }
}

// The newest batch given to each client. When it is already on the wire and unanswered (a COMMIT
// sent without waiting), the next batch is written right behind it instead of after its answer:
// pg's queue still hands each batch its own answers in order, since every batch ends in Sync.
const newest = new WeakMap<object, Batch>()

/**
 * The transaction status the next batch on `client` will meet: pg's last ReadyForQuery status,
 * except behind a COMMIT or ROLLBACK still on the wire, which leaves the session idle.
 */
export function transactionStatus(client: pg.ClientBase): string {
  const prev = newest.get(client)
  const last = prev?.steps.at(-1)
  if (prev && !prev.settled && last?.kind === 'exec' && /^(COMMIT|ROLLBACK)$/.test(last.text)) return 'I'
  return (client as unknown as { getTransactionStatus(): string | null }).getTransactionStatus() ?? 'I'
}

/** Runs `steps` as one pipelined batch ending in Sync. Never rejects: errors come back in `error`. */
export function runBatch(client: pg.ClientBase, steps: BatchStep[]): Promise<BatchResult> {
  const batch = new Batch(steps, client)
  // A client still starting up (the prewarm connection, pg-connect.ts) sends it behind the token.
  const early = client as Partial<EarlyQueue>
  if (early.acceptsEarly?.()) {
    newest.set(client, batch)
    early.queueEarly!(batch)
    return batch.promise
  }
  const prev = newest.get(client)
  const inner = client as unknown as { connection?: Wire; _queryQueue?: unknown[] }
  // Only when nothing else waits in pg's queue, or answers would reach the wrong query.
  const queueEmpty = Array.isArray(inner._queryQueue) && inner._queryQueue.length === 0
  if (prev?.written && !prev.settled && inner.connection && queueEmpty) batch.write(inner.connection)
  newest.set(client, batch)
  ;(client.query as unknown as (s: Batch) => void).call(client, batch)
  return batch.promise
}
