// What every CLI command shares: where the store lives, how it is opened, and how an error becomes
// one line on stderr with a non-zero exit code.
import { join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { PortholeError } from '../../shared/errors'
import type { Target } from '../../shared/target-schema'
import { dataDir } from '../base/data-dir'
import { stderrSink } from '../base/logger'
import type { Engine } from '../engine/engine'
import { openConfTargetStore } from '../store/conf-target-store'
import type { TargetStore } from '../store/target-store'

export interface CliIo {
  out(line: string): void
  err(line: string): void
}

export const stdio: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
}

/**
 * Opens the target store of the data dir (creating the dir on first write). A corrupt store file is
 * kept aside by the store; the command says so on stderr, with where it went and how to restore it.
 */
export function openStore(): TargetStore {
  const store = openConfTargetStore({ dir: dataDir() })
  const problem = store.problem
  if (problem) process.stderr.write(`porthole: ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}\n`)
  return store
}

/**
 * The engine for commands that open tunnels or databases: the full one, or with `tunnelsOnly` the
 * tunnel half (tunnel-core.ts: `connect` never compiles the database, proxy or account modules).
 * MFA prompts (assume-role profiles with mfa_serial) are answered on the terminal: one prompt per
 * credential lifetime, like the UI. Loaded on demand: the engine pulls in the AWS SDK, and
 * `targets add` or `--help` should not pay for that on every run.
 */
export async function openEngine(
  store: TargetStore,
  shell: 'web' | 'cli',
  options: { verbose?: boolean; prewarm?: boolean; tunnelsOnly?: boolean } = {},
): Promise<Engine> {
  const common = {
    store,
    shell,
    version: VERSION,
    logSink: stderrSink(options.verbose ? 'debug' : 'warn'),
    // The demo's AWS runs in-process; loaded on demand so commands that never use it never load it.
    startDemoSimulator: async () => (await import('../../sim/index')).startSimulator(),
  }
  const engine = options.tunnelsOnly
    ? (await import('../engine/tunnel-core')).createTunnelEngine(common)
    : (await import('../engine/app-engine')).createAppEngine({
        ...common,
        prewarm: options.prewarm ?? true,
        dataDir: dataDir(),
      })
  if (shell === 'cli') {
    engine.bus.on('onMfaPrompt', (prompt) => {
      void askLine(`MFA code for ${prompt.mfaSerial} (profile ${prompt.profile}): `).then((code) =>
        engine.handlers.answerMfaPrompt({ promptId: prompt.promptId, code }).catch(() => undefined),
      )
    })
  }
  return engine
}

/** Reads one line from the terminal; '' when stdin is not interactive (the prompt then cancels). */
async function askLine(question: string): Promise<string> {
  if (!process.stdin.isTTY) return ''
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return (await rl.question(question)).trim()
  } finally {
    rl.close()
  }
}

/**
 * By id, else by name (case-insensitive), else by a name prefix only one target has. Throws
 * CONFLICT when the name or prefix fits several targets: a command must never pick one silently.
 */
export function findTarget(targets: Target[], query: string): Target | undefined {
  const wanted = query.trim()
  const byId = targets.find((t) => t.id === wanted)
  if (byId || !wanted) return byId
  const q = wanted.toLowerCase()
  const byName = targets.filter((t) => t.name.toLowerCase() === q)
  if (byName.length === 1) return byName[0]
  if (byName.length > 1) throw ambiguous(query, byName)
  const byPrefix = targets.filter((t) => t.name.toLowerCase().startsWith(q))
  if (byPrefix.length > 1 && byPrefix.length <= 10) throw ambiguous(query, byPrefix)
  return byPrefix.length === 1 ? byPrefix[0] : undefined
}

function ambiguous(query: string, matches: Target[]): PortholeError {
  const list = matches.map((t) => `${t.name} (${t.id})`).join(', ')
  return PortholeError.of('CONFLICT', `"${query}" matches ${matches.length} targets: ${list}`, {
    hint: 'Name the target by its id.',
  })
}

/** Finds a target (see findTarget), or throws NOT_FOUND naming what was asked. */
export async function requireTarget(store: TargetStore, nameOrId: string): Promise<Target> {
  const found = findTarget(await store.list(), nameOrId)
  if (!found)
    throw PortholeError.of(
      'NOT_FOUND',
      `no saved target named or with id "${nameOrId}" (see: porthole targets list)`,
    )
  return found
}

/**
 * Resolves when SIGINT or SIGTERM arrives (long-running commands). Call it before printing "Ctrl-C
 * stops it": until a listener exists Node applies the default action, and a script (or a test) that
 * signals as soon as it reads the line would kill the process instead of stopping it cleanly.
 */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => resolve(sig)
    process.once('SIGINT', on('SIGINT'))
    process.once('SIGTERM', on('SIGTERM'))
  })
}

/** One-line error text: the first field issue for validation errors, else the message. */
export function oneLine(err: unknown): string {
  if (err instanceof PortholeError) {
    const issue = err.info.issues?.[0]
    if (err.code === 'VALIDATION' && issue) return `${issue.path ? `${issue.path} ` : ''}${issue.message}`
    return err.info.hint ? `${err.message} (${err.info.hint})` : err.message
  }
  return err instanceof Error ? err.message : String(err)
}

export const VERSION = '0.1.0'
