// `porthole url <target> [--with-token] [--once] [--json]`: prints the strings that work right now.
// When a proxy runs for the target (here or in another Porthole: app or `porthole proxy`, found
// through its port lock), its strings lead: no token, no certificate path, valid while it runs.
// Otherwise it says so and, as "advanced", prints direct-tunnel strings for a tunnel this command
// holds open until Ctrl-C. It never prints a string whose tunnel or proxy is not running, so
// --once without a proxy prints none.
import { parseArgs } from 'node:util'
import type { Target } from '../../../shared/target-schema'
import { proxyStringsFor } from '../../db/proxy-strings-for'
import { readPortHolder } from '../../proxy/port-lock'
import { proxyRuntimeDir } from '../../proxy/private-dir'
import { type CliIo, openEngine, openStore, requireTarget, untilSignal } from '../cli-context'
import { URL_USAGE } from '../usage'
import { printProxyStrings } from './proxy-strings'

/** The running proxy of `target` in any Porthole process of this user, from its port lock. */
async function runningProxy(target: Target) {
  if (!target.proxyPort) return undefined
  const holder = await readPortHolder(proxyRuntimeDir(), target.proxyPort)
  if (!holder || holder.targetId !== target.id || !holder.user || !holder.database) return undefined
  return proxyStringsFor({
    engine: holder.engine ?? 'postgres',
    port: target.proxyPort,
    user: holder.user,
    database: holder.database,
    socketDir: holder.socketDir ?? null,
    pgpassFile: holder.pgpassFile ?? null,
    optionFile: holder.optionFile ?? null,
  })
}

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
  const proxy = await runningProxy(target)
  if (proxy && !values['with-token']) {
    if (values.json) io.out(JSON.stringify({ proxy }, null, 2))
    else printProxyStrings(proxy, io)
    return 0
  }
  if (!proxy)
    io.err(
      `No Porthole proxy is running for "${target.name}". Start one with: porthole proxy ${JSON.stringify(target.name)} (or Start proxy in the app); its strings need no token and keep working.`,
    )
  if (values.once) {
    io.err(
      '--once: the tunnel this command would open closes when it exits, so no direct-tunnel string is printed.',
    )
    return 1
  }
  const engine = await openEngine(store, 'cli')
  try {
    await engine.handlers.connectTarget({ targetId: target.id })
    const cs = await engine.handlers.getConnectionStrings({
      targetId: target.id,
      withToken: values['with-token'] ?? false,
    })
    const stopped = untilSignal() // before saying Ctrl-C closes it (cli-context.ts)
    if (values.json) io.out(JSON.stringify({ ...cs, proxy: proxy ?? null }, null, 2))
    else {
      io.out('# advanced: direct-tunnel strings, valid while this command runs (Ctrl-C closes the tunnel)')
      // MySQL targets label their own strings (mysql clients, JDBC); PostgreSQL keeps the four.
      if (cs.entries) io.out(cs.entries.map((e) => `# ${e.label}\n${e.value}`).join('\n\n'))
      else
        io.out(
          `# psql\n${cs.psql}\n\n# libpq URI\n${cs.uri}\n\n# environment\n${cs.env}\n\n# JDBC\n${cs.jdbc}`,
        )
      for (const note of cs.notes) io.out(`# note: ${note}`)
      if (cs.withToken) io.out(`\n# with token (${cs.withToken.warning})\n${cs.withToken.psql}`)
    }
    io.err('tunnel open; Ctrl-C closes it')
    await stopped
    return 0
  } finally {
    await engine.close()
  }
}
