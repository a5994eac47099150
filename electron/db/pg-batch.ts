// One pipelined extended-protocol batch on a pg client: every step's messages go out in one write,
// ended by a single Sync, so the whole batch costs one network round trip. pg's Client runs it as a
// "submittable" (the same seam pg-cursor uses) and routes the backend's answers here in order.
//
// Steps: `exec` runs a statement to completion on the unnamed portal (BEGIN, COMMIT, a probe);
// `open` parses a user statement into a named portal, describes it and executes up to maxRows (0 =
// all); `fetch` executes maxRows more of an open portal; `close` closes a portal. A named portal
// survives the Sync only inside a transaction block, which is why the runner wraps statements in one.
import type pg from 'pg'
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
  once(event: 'readyForQuery', cb: () => void): void
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

  constructor(
    private readonly steps: BatchStep[],
    private readonly client: pg.ClientBase,
  ) {
    this.results = steps.map(emptyStep)
    this.promise = new Promise((resolve) => {
      this.resolve = resolve
    })
  }

  submit(connection: Wire): void {
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
    // Close steps answer CloseComplete, which pg does not route to queries: count them as done.
    this.skipCloses()
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
    if (fromServer && connection) connection.once('readyForQuery', () => this.finish(failed))
    else this.finish(failed)
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

/** Runs `steps` as one pipelined batch ending in Sync. Never rejects: errors come back in `error`. */
export function runBatch(client: pg.ClientBase, steps: BatchStep[]): Promise<BatchResult> {
  const batch = new Batch(steps, client)
  ;(client.query as unknown as (s: Batch) => void).call(client, batch)
  return batch.promise
}
