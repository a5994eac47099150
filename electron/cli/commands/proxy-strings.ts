// Prints proxy connection strings the same way for `porthole proxy` and `porthole url`.
import type { ProxyConnectionStrings } from '../../../shared/ipc/proxy-models'
import type { CliIo } from '../cli-context'

/** psql (TCP and socket), URI, env, JDBC, GUI steps and notes, as # sections. */
export function printProxyStrings(p: ProxyConnectionStrings, io: CliIo): void {
  // MySQL proxies label their own strings (mysql, socket, JDBC, env).
  if (p.entries) {
    io.out([...p.entries.map((e) => `# ${e.label}\n${e.value}`), `# GUI tools\n# ${p.gui}`].join('\n\n'))
    for (const note of p.notes) io.out(`# note: ${note}`)
    return
  }
  const parts = [`# psql (TCP; local secret from the pgpass file)\n${p.psql}`]
  if (p.psqlSocket) parts.push(`# psql (Unix socket; no secret)\n${p.psqlSocket}`)
  parts.push(
    `# libpq URI\n${p.uri}`,
    `# environment\n${p.env}`,
    `# JDBC\n${p.jdbc}`,
    `# GUI tools\n# ${p.gui}`,
  )
  io.out(parts.join('\n\n'))
  for (const note of p.notes) io.out(`# note: ${note}`)
}
