// `porthole targets list|add|rm|import|export`: the saved targets, over the same store the app uses.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { PortholeError } from '../../../shared/errors'
import type { ImportPreview } from '../../../shared/ipc/models'
import type { Target, TargetInput } from '../../../shared/target-schema'
import { readRegularFile } from '../../base/bounded-file'
import { MAX_IMPORT_BYTES } from '../../store/target-import'
import { type CliIo, openEngine, openStore, requireTarget } from '../cli-context'
import { TARGETS_USAGE } from '../usage'

const ADD_OPTIONS = {
  name: { type: 'string' },
  engine: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  instance: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  database: { type: 'string' },
  user: { type: 'string' },
  'local-port': { type: 'string' },
  'endpoint-url': { type: 'string' },
  'ca-file': { type: 'string' },
  tag: { type: 'string', multiple: true },
  color: { type: 'string' },
  pool: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const

function describe(t: Target): string {
  return `${t.name}\t${t.engine}\t${t.region}\t${t.instanceId}\t${t.rdsHost}:${t.rdsPort}\t${t.database}\t${t.dbUser}\t${t.id}`
}

/** Runs a `targets` subcommand; throws PortholeError on bad input (main turns it into one line). */
export async function runTargetsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub = 'list', ...rest] = argv
  const store = openStore()
  switch (sub) {
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } })
      const targets = await store.list()
      if (values.json) io.out(JSON.stringify(targets, null, 2))
      else if (targets.length === 0) io.out('No saved targets. Add one with: porthole targets add --help')
      else for (const t of targets) io.out(describe(t))
      return 0
    }
    case 'add': {
      const { values: v } = parseArgs({ args: rest, options: ADD_OPTIONS, strict: true })
      const input: Record<string, unknown> = {
        name: v.name,
        engine: v.engine,
        awsProfile: v.profile,
        region: v.region,
        instanceId: v.instance,
        rdsHost: v.host,
        rdsPort: v.port ?? (v.engine === 'mysql' ? '3306' : undefined),
        database: v.database,
        dbUser: v.user,
        localPort: v['local-port'],
        endpointUrl: v['endpoint-url'],
        // Stored absolute: the app and other shells do not share this shell's working directory.
        caFile: v['ca-file'] === undefined ? undefined : resolve(v['ca-file']),
        tags: v.tag,
        color: v.color,
        sessionPool: v.pool,
        backend: v.backend,
      }
      for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k]
      const saved = await store.save(input as TargetInput)
      io.out(v.json ? JSON.stringify(saved, null, 2) : `added ${saved.name} (${saved.id})`)
      return 0
    }
    case 'rm': {
      const target = await requireTarget(store, rest.join(' '))
      await store.delete(target.id)
      io.out(`removed ${target.name} (${target.id})`)
      return 0
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { 'dry-run': { type: 'boolean' } },
        allowPositionals: true,
      })
      const file = positionals[0]
      if (!file) throw new Error('targets import needs a file (or - for standard input)')
      const text = file === '-' ? await readStdin() : await readImportFile(file)
      if (values['dry-run']) {
        for (const line of describePreview(await store.previewImport(text))) io.out(line)
        io.out('dry run: nothing was changed')
        return 0
      }
      const r = await store.importJson(text)
      io.out(`imported ${r.added} new and ${r.updated} updated targets (${r.unchanged ?? 0} unchanged)`)
      return 0
    }
    case 'export':
      io.out(await store.exportJson())
      return 0
    case 'demo': {
      const engine = await openEngine(store, 'cli')
      await engine.handlers.createDemoTarget(undefined)
      await engine.close()
      for (const demo of (await store.list()).filter((t) => t.demo))
        io.out(`demo target ready: ${demo.name} (${demo.id})`)
      return 0
    }
    default:
      io.err(TARGETS_USAGE)
      return 2
  }
}

/** Lines of a dry run: what would be added, updated (with the fields) and left unchanged. */
function describePreview(p: ImportPreview): string[] {
  const id = (e: { id?: string }) => (e.id ? ` (${e.id})` : '')
  return [
    `would add ${p.added.length}, update ${p.updated.length}, leave ${p.unchanged.length} unchanged`,
    ...p.added.map((e) => `  add        ${e.name}${id(e)}`),
    ...p.updated.map((e) => `  update     ${e.name}${id(e)}: ${e.changes.join(', ')}`),
    ...p.unchanged.map((e) => `  unchanged  ${e.name}${id(e)}`),
  ]
}

/** The import file, if it is a regular file within the import size cap (not a FIFO or device). */
async function readImportFile(path: string): Promise<string> {
  const read = await readRegularFile(path, MAX_IMPORT_BYTES)
  if (read.ok) return read.data.toString('utf8')
  throw PortholeError.of('VALIDATION', `Import refused, nothing was changed: ${path} ${read.reason}`)
}

/** Standard input, up to the import size cap. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of process.stdin) {
    size += (c as Buffer).length
    if (size > MAX_IMPORT_BYTES) {
      throw PortholeError.of(
        'VALIDATION',
        `Import refused, nothing was changed: more than ${MAX_IMPORT_BYTES} bytes`,
      )
    }
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
