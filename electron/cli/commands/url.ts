// `porthole url <target> [--with-token] [--once]`: opens the tunnel and prints ready-made connection
// strings for psql, libpq URIs, env vars and JDBC (mysql clients and JDBC for MySQL targets). The strings name the tunnel's local port, so the
// tunnel stays open until Ctrl-C unless --once is given.
import { parseArgs } from 'node:util'
import { type CliIo, openEngine, openStore, requireTarget, untilSignal } from '../cli-context'

export const URL_USAGE = 'usage: porthole url <target name or id> [--with-token] [--once] [--json]'

/** Prints the connection strings; resolves with the exit code. */
export async function runUrlCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'with-token': { type: 'boolean' }, once: { type: 'boolean' }, json: { type: 'boolean' } },
  })
  if (positionals.length === 0) {
    io.err(URL_USAGE)
    return 2
  }
  const store = openStore()
  const target = await requireTarget(store, positionals.join(' '))
  const engine = await openEngine(store, 'cli')
  try {
    await engine.handlers.connectTarget({ targetId: target.id })
    const cs = await engine.handlers.getConnectionStrings({
      targetId: target.id,
      withToken: values['with-token'] ?? false,
    })
    if (values.json) io.out(JSON.stringify(cs, null, 2))
    else {
      // MySQL targets label their own strings (mysql clients, JDBC); PostgreSQL keeps the four.
      if (cs.entries) io.out(cs.entries.map((e) => `# ${e.label}\n${e.value}`).join('\n\n'))
      else
        io.out(
          `# psql\n${cs.psql}\n\n# libpq URI\n${cs.uri}\n\n# environment\n${cs.env}\n\n# JDBC\n${cs.jdbc}`,
        )
      for (const note of cs.notes) io.out(`# note: ${note}`)
      if (cs.withToken) io.out(`\n# with token (${cs.withToken.warning})\n${cs.withToken.psql}`)
    }
    if (!values.once) {
      io.err('tunnel open; Ctrl-C closes it')
      await untilSignal()
    }
    return 0
  } finally {
    await engine.close()
  }
}
