// The layer table of docs/architecture.md as code: which folder may import what. Each rule names
// the files it governs and a predicate over one import edge; `checkLayering` lists every edge
// that breaks a rule, with the rule's reason.
import type { ImportEdge } from './import-graph'

/** One broken rule on one import. */
export interface Violation {
  rule: string
  from: string
  spec: string
}

interface Rule {
  name: string
  appliesTo(file: string): boolean
  allows(edge: ImportEdge): boolean
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`)
const isPackage = (edge: ImportEdge) => edge.target === null
const isNodeBuiltin = (spec: string) => spec.startsWith('node:')

// Electron shell glue and composition roots: the only places that may assemble the app.
const GLUE = /^electron\/(main|preload)$|^electron\/window\/|^electron\/ipc\/electron-[^/]+$/
const TOP = /^electron\/(engine|cli)\//

/** The folders under electron/ that are neither glue nor composition: everything but these. */
const UPPER_FOLDERS = new Set(['engine', 'cli', 'window', 'ipc'])
function isLowerElectron(file: string): boolean {
  const m = /^electron\/([^/]+)\//.exec(file)
  return m !== null && m[1] !== undefined && !UPPER_FOLDERS.has(m[1])
}

export const RULES: Rule[] = [
  {
    name: 'electron/{tunnel,aws,db,store,bridge,base,…} never import the engine, the CLI, shell glue or electron',
    appliesTo: isLowerElectron,
    allows: (e) =>
      e.spec !== 'electron' && (e.target === null || (!TOP.test(e.target) && !GLUE.test(e.target))),
  },
  {
    name: 'electron/base imports only shared/ (and Node built-ins)',
    appliesTo: under('electron/base'),
    allows: (e) =>
      isNodeBuiltin(e.spec) ||
      (e.target !== null && (under('shared')(e.target) || under('electron/base')(e.target))),
  },
  {
    name: 'sim/ imports nothing from electron/ (fidelity: the simulator never reuses client code)',
    appliesTo: under('sim'),
    allows: (e) => e.spec !== 'electron' && (e.target === null || !under('electron')(e.target)),
  },
  {
    name: 'only the composition roots (electron/main.ts, electron/cli/) import sim/: the engine gets the demo injected',
    appliesTo: (f) => under('electron')(f) && f !== 'electron/main.ts' && !under('electron/cli')(f),
    allows: (e) => e.target === null || !under('sim')(e.target),
  },
  {
    name: 'shared/ imports only zod (classic or mini) and shared/',
    appliesTo: under('shared'),
    allows: (e) =>
      e.spec === 'zod' || e.spec === 'zod/mini' || (e.target !== null && under('shared')(e.target)),
  },
  {
    name: 'renderer/ imports only shared/, its own files and npm packages (no Node, no electron)',
    appliesTo: under('renderer/src'),
    allows: (e) =>
      isPackage(e)
        ? !isNodeBuiltin(e.spec) && e.spec !== 'electron'
        : under('shared')(e.target ?? '') || under('renderer')(e.target ?? ''),
  },
  {
    name: 'nothing outside the shell glue imports electron',
    appliesTo: (f) => !GLUE.test(f.replace(/\.tsx?$/, '')) && !under('tests')(f),
    allows: (e) => e.spec !== 'electron',
  },
  {
    name: 'the product never imports tests/ or bench/',
    appliesTo: (f) => !under('tests')(f) && !under('bench')(f),
    allows: (e) => e.target === null || (!under('tests')(e.target) && !under('bench')(e.target)),
  },
]

/** Every edge that breaks a rule. */
export function checkLayering(edges: ImportEdge[]): Violation[] {
  const out: Violation[] = []
  for (const edge of edges) {
    for (const rule of RULES) {
      if (rule.appliesTo(edge.from) && !rule.allows(edge))
        out.push({ rule: rule.name, from: edge.from, spec: edge.spec })
    }
  }
  return out
}
