// `porthole sim`: runs the AWS simulator standalone and prints how to point tools at it.
import { parseArgs } from 'node:util'
import { runStandaloneSimulator } from '../../../sim/standalone'
import { createLogger, stderrSink } from '../../base/logger'
import { type CliIo, untilSignal } from '../cli-context'

/** Runs until Ctrl-C; resolves with the exit code. */
export async function runSimCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { upstream: { type: 'string' }, verbose: { type: 'boolean' } },
  })
  const upstream = (values.upstream ?? 'auto') as 'auto' | 'postgres' | 'pglite'
  if (!['auto', 'postgres', 'pglite'].includes(upstream))
    throw new Error('--upstream must be auto, postgres or pglite')
  const logger = createLogger('sim', stderrSink(values.verbose ? 'debug' : 'info'))
  const { sim, instructions } = await runStandaloneSimulator({ upstream, logger })
  io.out(instructions)
  await untilSignal()
  await sim.close()
  return 0
}
