// Shared shapes of the simulated Session Manager agent + stream service: the resolver it dials
// through, the fault switches, the per-session counters and the logger it reports to.

/** Maps the host:port a session asks for to a loopback address (undefined = does not resolve). */
export interface SimResolver {
  resolve(host: string, port: number): { host: string; port: number } | undefined
}

/** The minimal logger the simulator writes to (never given secrets). */
export interface SimLogger {
  debug(msg: string): void
  info(msg: string): void
  warn(msg: string): void
}

/**
 * Fault switches and limits. Service-wide defaults live on `StreamService.faults`; each session's
 * object inherits from them (prototype chain), so setting a field on it overrides only that session.
 */
export interface AgentFaults {
  /** AgentVersion reported in the HandshakeRequest. */
  agentVersion: string
  /** Input data messages in any one-second window beyond which the WebSocket is cut (service limit). */
  maxMessagesPerSecond: number
  /** After every this many input data messages the service stops reading (0 = never)... */
  readStallEveryMessages: number
  /** ...for this long, then reads everything that arrived meanwhile at once. */
  readStallMs: number
  /** Largest accepted payload; a bigger one cuts the WebSocket. */
  maxPayloadBytes: number
  /** Send a start_publication with bogus length/digest before the HandshakeRequest. */
  bogusStartPublication: boolean
  /** Drop this many client data messages after HandshakeComplete without ack (ErrHandlerNotReady). */
  notReadyDrops: number
  /** Swap pairs of output data messages. */
  reorderOutput: boolean
  /** Send every third output data message twice. */
  duplicateOutput: boolean
  /** channel_closed after this long without client input. */
  idleTimeoutMs: number
  /** channel_closed this long after registration (0 = no limit). */
  maxDurationMs: number
  /** Cut the WebSocket once after this many client data messages (0 = never). */
  dropAfterMessages: number
  /** Delay applied to every WebSocket message in each direction. */
  oneWayLatencyMs: number
  /** The agent waits this long for the HandshakeResponse. */
  handshakeTimeoutMs: number
  /** smux keepalive (old clients only): close the mux session after this long without a frame. */
  keepaliveTimeoutMs: number
  /** smux keepalive NOP interval. */
  keepaliveIntervalMs: number
}

/** Defaults as the real service/agent behave (limits from docs/protocol.md §4.4, §13). */
export const DEFAULT_FAULTS: AgentFaults = {
  agentVersion: '3.3.987.0',
  maxMessagesPerSecond: 1000,
  readStallEveryMessages: 0,
  readStallMs: 250,
  maxPayloadBytes: 1024,
  bogusStartPublication: false,
  notReadyDrops: 0,
  reorderOutput: false,
  duplicateOutput: false,
  idleTimeoutMs: 20 * 60_000,
  maxDurationMs: 0,
  dropAfterMessages: 0,
  oneWayLatencyMs: 0,
  handshakeTimeoutMs: 15_000,
  keepaliveTimeoutMs: 30_000,
  keepaliveIntervalMs: 10_000,
}

/** What a test can observe about one session. */
export interface SessionCounters {
  messagesIn: number
  messagesOut: number
  retransmits: number
  acksIn: number
  acksOut: number
  bytesRelayed: number
  streamsOpened: number
  connectErrors: number
  mode: 'pending' | 'mux' | 'basic'
  clientVersion: string | undefined
  /** Whether the agent runs smux keepalive (ClientVersion ≤ 1.2.331.0). */
  keepalive: boolean
  /** Most input data messages the service counted in any one-second window. */
  peakMessagesPerSecond: number
  /** Times the client went over maxMessagesPerSecond (each one cut the WebSocket). */
  rateViolations: number
  /** Read stalls the service went through (readStallEveryMessages). */
  readStalls: number
  /** WebSocket connections accepted (1 + resumes). */
  connections: number
  ended: boolean
  /** Why the session ended (the channel_closed Output or an internal reason). */
  endReason: string | undefined
}

/** Zeroed counters for a new session. */
export function newCounters(): SessionCounters {
  return {
    messagesIn: 0,
    messagesOut: 0,
    retransmits: 0,
    acksIn: 0,
    acksOut: 0,
    bytesRelayed: 0,
    streamsOpened: 0,
    connectErrors: 0,
    mode: 'pending',
    clientVersion: undefined,
    keepalive: false,
    peakMessagesPerSecond: 0,
    rateViolations: 0,
    readStalls: 0,
    connections: 0,
    ended: false,
    endReason: undefined,
  }
}

/** Registration data the SSM API side hands over on StartSession. */
export interface SessionRegistration {
  sessionId: string
  tokenValue: string
  target: string
  documentName: string
  parameters: Record<string, string[]>
  agentVersion?: string
}

/** What a relay (mux or basic) needs from its session. */
export interface RelayContext {
  /** Destination from the document parameters ('localhost' when no host was given). */
  host: string
  port: number
  resolver: SimResolver
  log: SimLogger
  counters: SessionCounters
  /** Queues a byte stream as ≤1024-byte Output messages. */
  sendBytes(bytes: Buffer): void
  /** Queues a Flag message (PayloadType 10). */
  sendFlag(flag: number): void
  /** Ends the whole session (channel_closed with `reason`). */
  fail(reason: string): void
  /** Output messages queued or unacked, for backpressure. */
  backlog(): number
}
