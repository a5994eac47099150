// A frame-level Session Manager client for the sim/agent tests, built only on the independent
// spec oracle (tests/fixtures/ssm-spec-frames.ts): never on sim/agent's codec or electron/tunnel.
import { randomUUID } from 'node:crypto'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import WebSocket from 'ws'
import { type AgentFaults, startStreamService } from '../../sim/agent'
import { ackPayload, buildFrame, flagPayload, PAYLOAD_TYPE, parseFrame } from '../fixtures/ssm-spec-frames'

/** A received frame as the oracle parses it. */
export type Frame = ReturnType<typeof parseFrame>

/** Options of AgentTestClient.connect. */
export interface ClientOptions {
  /** Overrides fields of the OpenDataChannel JSON (e.g. a wrong token). */
  open?: Record<string, unknown>
  /** Resend unacked input after this long (0 = never). */
  retransmitMs?: number
  /** Continue the sequence numbers of an earlier connection (ResumeSession). */
  resumeFrom?: AgentTestClient
  /** Send the OpenDataChannel JSON as a BINARY frame (the service must refuse it). */
  binaryOpen?: boolean
}

/** Drives the simulated agent at frame level and records everything it sends. */
export class AgentTestClient {
  readonly frames: Frame[] = []
  /** The raw bytes of each entry of `frames`. */
  readonly raw: Buffer[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  /** In-order, de-duplicated Output payload bytes. */
  output = Buffer.alloc(0)
  /** Flag values received in order. */
  readonly flags: number[] = []
  /** Sequence numbers of every output_stream_data received, duplicates included. */
  readonly outputSeqs: number[] = []
  /** Sequence numbers the agent acked, in arrival order. */
  readonly acked: number[] = []
  /** Whether output_stream_data is acked automatically. */
  autoAck = true
  nextSeq = 0
  expectedOut = 0
  private readonly pending = new Map<number, Frame>()
  readonly unacked = new Map<number, Buffer>()
  private waiters: Array<() => void> = []
  private timer: NodeJS.Timeout | undefined

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.wake()
        resolve({ code, reason: reason.toString() })
      }),
    )
    ws.on('error', () => {})
    ws.on('message', (data: Buffer) => {
      this.raw.push(data)
      this.onFrame(parseFrame(data))
    })
  }

  /** Connects to `streamUrl` and sends the OpenDataChannel TEXT frame with `token`. */
  static async connect(streamUrl: string, token: string, opts: ClientOptions = {}): Promise<AgentTestClient> {
    const ws = new WebSocket(streamUrl)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    const c = new AgentTestClient(ws)
    if (opts.resumeFrom) {
      c.nextSeq = opts.resumeFrom.nextSeq
      c.expectedOut = opts.resumeFrom.expectedOut
      c.output = opts.resumeFrom.output
      for (const [k, v] of opts.resumeFrom.unacked) c.unacked.set(k, v)
    }
    const open = {
      MessageSchemaVersion: '1.0',
      RequestId: randomUUID(),
      TokenValue: token,
      ClientId: randomUUID(),
      ClientVersion: '1.2.650.0',
      ...opts.open,
    }
    ws.send(JSON.stringify(open), { binary: opts.binaryOpen === true })
    if (opts.retransmitMs)
      c.timer = setInterval(() => {
        for (const f of c.unacked.values()) c.sendRaw(f)
      }, opts.retransmitMs)
    return c
  }

  /**
   * Waits until `pred` holds (checked on every frame). Rejects only on a stall: no new frame for
   * `stallMs` (a busy machine is slow, a hung agent sends nothing).
   */
  async until(pred: () => boolean, what: string, stallMs = 60_000): Promise<void> {
    let seen = this.frames.length
    let lastFrameAt = Date.now()
    while (!pred()) {
      if (this.frames.length !== seen) {
        seen = this.frames.length
        lastFrameAt = Date.now()
      }
      if (Date.now() - lastFrameAt > stallMs)
        throw new Error(`stalled waiting for ${what}: no frame for ${stallMs / 1000} s`)
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50)
        this.waiters.push(() => {
          clearTimeout(t)
          r()
        })
      })
    }
  }

  /** Waits for a frame matching `pred` among all received frames (including earlier ones). */
  async frame(pred: (f: Frame) => boolean, what: string, stallMs = 60_000): Promise<Frame> {
    await this.until(() => this.frames.some(pred), what, stallMs)
    return this.frames.find(pred) as Frame
  }

  /** Full handshake: ack the HandshakeRequest, answer it, wait for HandshakeComplete. */
  async handshake(clientVersion = '1.2.650.0', actionStatus = 1): Promise<Record<string, unknown>> {
    const req = await this.frame((f) => f.payloadType === PAYLOAD_TYPE.HandshakeRequest, 'HandshakeRequest')
    const response = {
      ClientVersion: clientVersion,
      ProcessedClientActions: [
        { ActionType: 'SessionType', ActionStatus: actionStatus, ActionResult: null, Error: '' },
      ],
      Errors: null,
    }
    this.send(PAYLOAD_TYPE.HandshakeResponse, Buffer.from(JSON.stringify(response)))
    if (actionStatus === 1)
      await this.frame((f) => f.payloadType === PAYLOAD_TYPE.HandshakeComplete, 'HandshakeComplete')
    return JSON.parse(req.payload.toString())
  }

  /** Sends an input_stream_data with the next sequence number; kept until acked. */
  send(payloadType: number, payload: Buffer): number {
    const seq = this.nextSeq++
    const frame = buildFrame({
      messageType: 'input_stream_data',
      sequenceNumber: BigInt(seq),
      flags: 0n,
      messageId: randomUUID(),
      createdDate: BigInt(Date.now()),
      payloadType,
      payload,
    })
    this.unacked.set(seq, frame)
    this.sendRaw(frame)
    return seq
  }

  /** Sends Output bytes in ≤1024-byte messages. */
  sendData(bytes: Buffer): void {
    for (let off = 0; off < bytes.length; off += 1024)
      this.send(PAYLOAD_TYPE.Output, bytes.subarray(off, off + 1024))
  }

  /** Sends a Flag (PayloadType 10). */
  sendFlag(flag: number): number {
    return this.send(PAYLOAD_TYPE.Flag, flagPayload(flag))
  }

  /** Sends raw bytes as one binary WebSocket message. */
  sendRaw(frame: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame)
  }

  /** Closes the WebSocket and stops retransmitting. */
  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.ws.terminate()
  }

  /** Stops retransmitting (the WebSocket stays as it is). */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
  }

  private onFrame(f: Frame): void {
    this.frames.push(f)
    if (f.messageType === 'acknowledge') {
      const seq = (JSON.parse(f.payload.toString()) as { AcknowledgedMessageSequenceNumber: number })
        .AcknowledgedMessageSequenceNumber
      this.acked.push(seq)
      this.unacked.delete(seq)
    } else if (f.messageType === 'output_stream_data') {
      const seq = Number(f.sequenceNumber)
      this.outputSeqs.push(seq)
      if (this.autoAck) this.ackFrame(f)
      if (seq >= this.expectedOut) this.pending.set(seq, f)
      for (let n = this.pending.get(this.expectedOut); n; n = this.pending.get(this.expectedOut)) {
        this.pending.delete(this.expectedOut)
        this.expectedOut++
        if (n.payloadType === PAYLOAD_TYPE.Output) this.output = Buffer.concat([this.output, n.payload])
        if (n.payloadType === PAYLOAD_TYPE.Flag) this.flags.push(n.payload.readUInt32BE(0))
      }
    }
    this.wake()
  }

  /** Acks one output frame. */
  ackFrame(f: Frame): void {
    this.sendRaw(
      buildFrame({
        messageType: 'acknowledge',
        sequenceNumber: 0n,
        flags: 3n,
        messageId: randomUUID(),
        createdDate: BigInt(Date.now()),
        payloadType: 0,
        payload: ackPayload({
          messageType: f.messageType,
          messageId: f.messageId,
          sequenceNumber: Number(f.sequenceNumber),
        }),
      }),
    )
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    for (const fn of w) fn()
  }
}

/** A loopback TCP echo server that counts its connections. */
export async function startEchoServer(): Promise<{
  port: number
  connections: () => number
  close(): Promise<void>
}> {
  const sockets = new Set<Socket>()
  let count = 0
  const server: Server = createServer((s) => {
    count++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => {})
    s.pipe(s)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

/** A stream service with an echo destination at db.internal:5432 and helpers to open sessions. */
export async function startAgentFixture(defaults: Partial<AgentFaults> = {}) {
  const echo = await startEchoServer()
  const logs: string[] = []
  const logger = { debug: () => {}, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) }
  const resolver = {
    resolve: (host: string, port: number) =>
      (host === 'db.internal' || host === 'localhost') && port === 5432
        ? { host: '127.0.0.1', port: echo.port }
        : undefined,
  }
  const service = await startStreamService({ resolver, logger, defaults })
  let n = 0
  const clients: AgentTestClient[] = []
  return {
    echo,
    service,
    logs,
    /** Registers a RemoteHost session and returns its id, token and URL. */
    register(host = 'db.internal', agentVersion = '3.3.987.0') {
      const sessionId = `test-${++n}-${randomUUID().slice(0, 8)}`
      const tokenValue = randomUUID()
      const { streamUrl } = service.registerSession({
        sessionId,
        tokenValue,
        target: 'i-0123456789abcdef0',
        documentName: 'AWS-StartPortForwardingSessionToRemoteHost',
        parameters: { host: [host], portNumber: ['5432'], localPortNumber: ['0'] },
        agentVersion,
      })
      return { sessionId, tokenValue, streamUrl }
    },
    /** Registers, connects and (unless told otherwise) completes the handshake. */
    async open(
      opts: {
        clientVersion?: string
        host?: string
        handshake?: boolean
        faults?: Partial<AgentFaults>
      } & ClientOptions = {},
    ) {
      const s = this.register(opts.host)
      Object.assign(service.sessionFaults(s.sessionId), opts.faults)
      const client = await AgentTestClient.connect(s.streamUrl, s.tokenValue, opts)
      clients.push(client)
      if (opts.handshake !== false) await client.handshake(opts.clientVersion)
      return { ...s, client }
    },
    track(c: AgentTestClient) {
      clients.push(c)
      return c
    },
    async close() {
      for (const c of clients) c.close()
      await service.close()
      await echo.close()
    },
  }
}
