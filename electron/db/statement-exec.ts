// Runs one statement of a script as one pipelined batch (pg-batch.ts) and decides what happens to
// its portal. Autocommit is kept: outside a user transaction the statement runs inside our own
// BEGIN so its named portal survives the Sync (the first page comes back in one round trip), and a
// probe in the same batch tells whether it wrote anything: if not, COMMIT cannot fail and is sent
// without waiting; if it did, COMMIT is awaited so its outcome is the statement's outcome.
import type pg from 'pg'
import { type BatchResult, type BatchStep, runBatch, type StepResult, transactionStatus } from './pg-batch'

/** First words of statements that cannot run inside a transaction block, or control one. */
const OUTSIDE_TRANSACTION =
  /^(begin|start|commit|end|rollback|abort|savepoint|release|prepare\s+transaction|vacuum|discard|alter\s+system|(create|drop)\s+(database|tablespace|subscription)|alter\s+subscription|reindex\s+(database|system)|(create|drop)\s+(unique\s+)?index\s+concurrently|reindex\s.*concurrently|cluster\s*$|checkpoint)\b/i

/** Whether a statement must run on its own (no wrapper transaction). */
export function runsOutsideTransaction(text: string): boolean {
  const words = text
    .replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '')
    .toLowerCase()
    .split(/\s+/)
    .slice(0, 4)
    .join(' ')
  return OUTSIDE_TRANSACTION.test(words)
}

const PROBE = 'SELECT txid_current_if_assigned() IS NOT NULL'

export interface Opened {
  /** The statement's own step result (first page). */
  step: StepResult
  /** The batch's error, if any (the transaction we opened is already rolled back). */
  error: unknown | null
  /** Our BEGIN wraps the statement: the portal lives in our transaction. */
  ownTx: boolean
  /** A COMMIT sent without waiting (read-only statement, complete): settle it before reuse. */
  pendingCommit: Promise<BatchResult> | null
  /** Our probe saw the statement write (its wrapper must commit soon, not when paging ends). */
  wrote: boolean
}

/** A statement's first batch on the wire (BEGIN, the statement, the probe), not yet answered. */
export interface StartedStatement {
  text: string
  portal: string
  maxRows: number
  /** Our BEGIN wraps it. */
  wrap: boolean
  batch: Promise<BatchResult>
}

/**
 * Sends `text`'s first batch: parsed into `portal`, up to `maxRows` read. `alone` skips our wrapper
 * transaction (a statement that refused one).
 */
export function startStatement(
  client: pg.ClientBase,
  text: string,
  portal: string,
  maxRows: number,
  alone = false,
): StartedStatement {
  const status = transactionStatus(client)
  const wrap = !alone && status === 'I' && !runsOutsideTransaction(text)
  // Outside any transaction block a suspended portal would die at Sync: read everything then.
  const rows = wrap || status !== 'I' ? maxRows : 0
  const steps: BatchStep[] = wrap
    ? [
        { kind: 'exec', text: 'BEGIN' },
        { kind: 'open', text, portal, maxRows: rows },
        { kind: 'exec', text: PROBE },
      ]
    : [{ kind: 'open', text, portal, maxRows: rows }]
  return { text, portal, maxRows, wrap, batch: runBatch(client, steps) }
}

/**
 * Settles a started statement. With `commitLater` false a complete portal's wrapper transaction is
 * committed (awaited when the statement wrote).
 */
export async function finishStatement(
  client: pg.ClientBase,
  started: StartedStatement,
  commitLater: boolean,
): Promise<Opened> {
  let s = started
  for (;;) {
    const r = await s.batch
    const step = r.steps[s.wrap ? 1 : 0]!
    if (r.error) {
      if (s.wrap) await runBatch(client, [{ kind: 'exec', text: 'ROLLBACK' }])
      // 25001: the statement refuses a transaction block (nothing ran): run it on its own instead.
      if (s.wrap && (r.error.err as { code?: string }).code === '25001') {
        s = startStatement(client, s.text, s.portal, s.maxRows, true)
        continue
      }
      return { step, error: r.error.err, ownTx: false, pendingCommit: null, wrote: false }
    }
    const wrote = s.wrap && r.steps[2]?.rows[0]?.[0] === 't'
    if (!s.wrap || step.suspended) return { step, error: null, ownTx: s.wrap, pendingCommit: null, wrote }
    const commit = runBatch(client, [{ kind: 'exec', text: 'COMMIT' }])
    if (commitLater && !wrote) return { step, error: null, ownTx: false, pendingCommit: commit, wrote }
    const c = await commit
    return { step, error: c.error?.err ?? null, ownTx: false, pendingCommit: null, wrote }
  }
}

/** Opens `text` into `portal` and reads up to `maxRows` (startStatement, then finishStatement). */
export function openStatement(
  client: pg.ClientBase,
  text: string,
  portal: string,
  maxRows: number,
  commitLater: boolean,
): Promise<Opened> {
  return finishStatement(client, startStatement(client, text, portal, maxRows), commitLater)
}

/** Reads up to `maxRows` more of an open portal. */
export async function fetchPortal(
  client: pg.ClientBase,
  portal: string,
  maxRows: number,
): Promise<{ step: StepResult; error: unknown | null }> {
  const r = await runBatch(client, [{ kind: 'fetch', portal, maxRows }])
  return { step: r.steps[0]!, error: r.error?.err ?? null }
}

/** Ends a portal: our wrapper transaction commits (autocommit semantics), a user's keeps going. */
export async function endPortal(
  client: pg.ClientBase,
  portal: string,
  ownTx: boolean,
): Promise<unknown | null> {
  const steps: BatchStep[] = [{ kind: 'close', portal }]
  if (ownTx) steps.push({ kind: 'exec', text: 'COMMIT' })
  const r = await runBatch(client, steps)
  if (r.error && ownTx) await runBatch(client, [{ kind: 'exec', text: 'ROLLBACK' }])
  return r.error?.err ?? null
}
