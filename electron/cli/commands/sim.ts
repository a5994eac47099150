// `porthole sim`: runs the AWS simulator standalone and prints how to point tools at it. For people
// who script against it: extra loopback destinations inside the simulated VPC (--forward), the
// agent's fault switches as flags, and --json for one machine-readable line.
import { isIP } from 'node:net'
import { parseArgs } from 'node:util'
import { describeSimulator, runStandaloneSimulator, type SimForward } from '../../../sim/standalone'
import { createLogger, stderrSink } from '../../base/logger'
import { type CliIo, untilSignal } from '../cli-context'
import { SIM_USAGE } from '../usage'

class UsageError extends Error {}

/** "250ms", "30s", "20m" or a bare number of milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d{1,9})(ms|s|m)?$/.exec(value.trim())
  if (!m) throw new UsageError(`--${flag} must be a duration like 500ms, 30s or 20m (got "${value}")`)
  return Number(m[1]) * (m[2] === 'm' ? 60_000 : m[2] === 's' ? 1000 : 1)
}

/** `name=127.0.0.1:port` (same port inside the VPC) or `name:vpcPort=127.0.0.1:port`. */
export function parseForward(value: string): SimForward {
  const m = /^([A-Za-z0-9]([A-Za-z0-9.-]{0,252}))(?::(\d{1,5}))?=([^=]+):(\d{1,5})$/.exec(value.trim())
  const bad = (why: string) => new UsageError(`--forward ${value}: ${why} (expected name=127.0.0.1:port)`)
  if (!m) throw bad('not in the form name[:port]=address:port')
  const [, name, , vpcPort, address, port] = m
  const toPort = Number(port)
  const hostPort = vpcPort === undefined ? toPort : Number(vpcPort)
  if (!(toPort >= 1 && toPort <= 65535 && hostPort >= 1 && hostPort <= 65535))
    throw bad('ports must be 1-65535')
  // Only loopback: the simulator stands in for a VPC on this machine and must not become a proxy.
  if (isIP(address!) !== 4 || !address!.startsWith('127.')) throw bad(`${address} is not a 127.x.x.x address`)
  return { host: name!.toLowerCase(), port: hostPort, to: { host: address!, port: toPort } }
}

function parseCount(flag: string, value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()))
    throw new UsageError(`--${flag} must be a whole number (got "${value}")`)
  return Number(value)
}

/** Runs until Ctrl-C; resolves with the exit code (2 for bad flags). */
export async function runSimCommand(argv: string[], io: CliIo): Promise<number> {
  let options: Parameters<typeof runStandaloneSimulator>[0]
  let json = false
  let verbose = false
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        upstream: { type: 'string' },
        verbose: { type: 'boolean' },
        json: { type: 'boolean' },
        forward: { type: 'string', multiple: true },
        'drop-after': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'max-duration': { type: 'string' },
        latency: { type: 'string' },
      },
    })
    const upstream = values.upstream ?? 'auto'
    if (upstream !== 'auto' && upstream !== 'postgres' && upstream !== 'pglite')
      throw new UsageError('--upstream must be auto, postgres or pglite')
    const agent: NonNullable<typeof options>['agent'] = {}
    if (values['drop-after'] !== undefined)
      agent.dropAfterMessages = parseCount('drop-after', values['drop-after'])
    if (values['idle-timeout'] !== undefined)
      agent.idleTimeoutMs = parseDuration('idle-timeout', values['idle-timeout'])
    if (values['max-duration'] !== undefined)
      agent.maxDurationMs = parseDuration('max-duration', values['max-duration'])
    if (values.latency !== undefined) agent.oneWayLatencyMs = parseDuration('latency', values.latency)
    json = values.json ?? false
    verbose = values.verbose ?? false
    options = { upstream, agent, forwards: (values.forward ?? []).map(parseForward) }
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err
    io.err(`porthole sim: ${err.message}`)
    io.err(SIM_USAGE)
    return 2
  }
  // With --json, stdout carries only the JSON line; logs go to stderr either way.
  const logger = createLogger('sim', stderrSink(verbose ? 'debug' : json ? 'warn' : 'info'))
  // Listening for Ctrl-C before saying to press it: a signal that came first would kill the process.
  const stopped = untilSignal()
  const { sim, instructions } = await runStandaloneSimulator({ ...options, logger })
  io.out(json ? JSON.stringify(describeSimulator(sim, options.forwards ?? [])) : instructions)
  await stopped
  await sim.close()
  return 0
}
