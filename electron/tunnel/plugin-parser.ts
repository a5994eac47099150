// Reads session-manager-plugin's stdout (docs/rds-iam.md §D.2). The plugin always exits 0,
// so the text is the only way to tell a session timeout from a failed start.

export type PluginEvent =
  | { kind: 'starting'; sessionId: string }
  | { kind: 'port-opened'; port: number; sessionId: string }
  | { kind: 'waiting' }
  | { kind: 'connection-accepted'; sessionId: string }
  | { kind: 'connect-failed' }
  | { kind: 'ended'; sessionId: string; reason: string }
  | { kind: 'exiting'; sessionId: string }
  | { kind: 'timed-out'; sessionId: string }
  | { kind: 'terminate-signal' }
  | { kind: 'start-failed'; message: string }

// A capture group of a rule's match (every rule's groups are mandatory, so '' never happens).
const g = (m: RegExpMatchArray, n: number): string => m[n] ?? ''

const RULES: Array<[RegExp, (m: RegExpMatchArray) => PluginEvent]> = [
  [/^Starting session with SessionId: (\S+)$/, (m) => ({ kind: 'starting', sessionId: g(m, 1) })],
  [
    /^Port (\d+) opened for sessionId (\S+?)\.?$/,
    (m) => ({ kind: 'port-opened', port: Number(m[1]), sessionId: g(m, 2) }),
  ],
  [/^Waiting for connections\.\.\.$/, () => ({ kind: 'waiting' })],
  [
    /^Connection accepted for session \[(.+)\]\.?$/,
    (m) => ({ kind: 'connection-accepted', sessionId: g(m, 1) }),
  ],
  [/^Connection to destination port failed/, () => ({ kind: 'connect-failed' })],
  [/^Exiting session with sessionId: (\S+?)\.?$/, (m) => ({ kind: 'exiting', sessionId: g(m, 1) })],
  [/^Session: (\S+) timed out\.?$/, (m) => ({ kind: 'timed-out', sessionId: g(m, 1) })],
  [/^SessionId: (\S+) : (.+)$/, (m) => ({ kind: 'ended', sessionId: g(m, 1), reason: g(m, 2).trim() })],
  [/^Terminate signal received, exiting\.?$/, () => ({ kind: 'terminate-signal' })],
  [/^Cannot perform start session: (.*)$/, (m) => ({ kind: 'start-failed', message: g(m, 1).trim() })],
]

/** Classifies one stdout line (already split on newlines); null for anything else. */
export function parsePluginLine(line: string): PluginEvent | null {
  const text = line.trim()
  if (!text) return null
  for (const [re, make] of RULES) {
    const m = text.match(re)
    if (m) return make(m)
  }
  return null
}

/** Splits a stream of stdout chunks into lines, keeping the unfinished tail. */
export class LineSplitter {
  private tail = ''

  /** Returns the complete lines in `chunk`. */
  push(chunk: string): string[] {
    const parts = (this.tail + chunk).split(/\r?\n/)
    this.tail = parts.pop() ?? ''
    return parts
  }

  /** The unfinished last line (at process exit). */
  flush(): string[] {
    const rest = this.tail
    this.tail = ''
    return rest ? [rest] : []
  }
}
