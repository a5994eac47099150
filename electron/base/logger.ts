// One logger for the engine, the simulator and the CLI. Every line is scrubbed of secrets before it
// reaches any sink, so a careless `log.info(String(err))` cannot leak an IAM token or a key.
import type { LogLine } from '../../shared/ipc/models'
import type { TargetId } from '../../shared/target-schema'

export type LogLevel = LogLine['level']
export type LogSink = (line: LogLine) => void

export interface Logger {
  debug(message: string, targetId?: TargetId): void
  info(message: string, targetId?: TargetId): void
  warn(message: string, targetId?: TargetId): void
  error(message: string, targetId?: TargetId): void
  /** A logger for a sub-scope writing to the same sink. */
  child(scope: string): Logger
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // An RDS IAM token or any presigned query: keep the host, drop the query.
  [/([A-Za-z0-9.-]+:\d+\/)\?Action=connect[^\s"']*/g, '$1?<iam-token redacted>'],
  [/X-Amz-(Signature|Security-Token|Credential)=[^&\s"']+/g, 'X-Amz-$1=<redacted>'],
  // SigV4 Authorization headers: `…, Signature=<64 hex>`.
  [/\bSignature=[0-9a-f]{64}\b/g, 'Signature=<redacted>'],
  // Named secrets in JSON, key=value, env dumps and ~/.aws ini files (any case, any spacing).
  [
    /("?(?:aws_)?(?:secret_?access_?key|session_?token|token_?value|pgpassword|password)"?\s*[:=]\s*"?)[^\s",}]+/gi,
    '$1<redacted>',
  ],
  // A password in a URI's user info: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1<redacted>@'],
  [/\b(ASIA|AKIA)[A-Z0-9]{12,}\b/g, '$1<redacted>'],
]

/** Removes tokens, keys and passwords from a log message. */
export function scrubSecrets(text: string): string {
  let out = text
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement)
  return out
}

/** Creates a logger writing scrubbed lines to `sink`. */
export function createLogger(scope: string, sink: LogSink, minLevel: LogLevel = 'debug'): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }
  const write = (level: LogLevel) => (message: string, targetId?: TargetId) => {
    if (order[level] < order[minLevel]) return
    const line: LogLine = { time: Date.now(), level, scope, message: scrubSecrets(message) }
    if (targetId) line.targetId = targetId
    sink(line)
  }
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (sub) => createLogger(`${scope}.${sub}`, sink, minLevel),
  }
}

/** A sink that prints to stderr (CLI, simulator), for levels at or above `minLevel`. */
export function stderrSink(minLevel: LogLevel = 'info'): LogSink {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }
  return (line) => {
    if (order[line.level] >= order[minLevel])
      process.stderr.write(`[${line.level}] ${line.scope}: ${line.message}\n`)
  }
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('silent', () => {})
