// In-memory implementation of the whole PortholeApi for development (`?fake`) and renderer tests
// (Teleport MockMainProcessClient, Boundary's bridge mock). Calls go through the contract's own
// `parseArg`, and results are cloned, so the fake validates and serialises like the real transports.
import { PortholeError, toErrorInfo } from '../../../shared/errors'
import { createApiClient } from '../../../shared/ipc/client'
import {
  type EventName,
  type EventPayload,
  isMethodName,
  type PortholeApi,
  type PortholeHandlers,
  parseArg,
} from '../../../shared/ipc/contract'
import type { TargetId } from '../../../shared/target-schema'
import { createFakeQueries } from './fake-queries'
import { createFakeTargets } from './fake-targets'
import { createFakeTunnels } from './fake-tunnels'
import { createFakeWorkspace } from './fake-workspace'

/** Knobs for the fake. */
export interface FakeApiOptions {
  /** Base delay of simulated work in ms (tunnel steps are a few of these). Default 150. */
  stepMs?: number
  /** Start with the demo target and a few example targets instead of an empty list. */
  seed?: boolean
}

/** A fake API plus a way to stop its timers. */
export type FakeApi = PortholeApi & { dispose(): void }

/** Builds the in-memory PortholeApi. */
export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const stepMs = options.stepMs ?? 150
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    for (const l of [...(listeners.get(event) ?? [])]) l(structuredClone(payload))
  }

  let tunnels: ReturnType<typeof createFakeTunnels> | null = null
  const targets = createFakeTargets({
    onChanged: (list) => emit('onTargetsChanged', list),
    onDeleted: async (id) => tunnels?.forget(id),
  })
  tunnels = createFakeTunnels(targets.get, emit, stepMs)
  const queries = createFakeQueries((id: TargetId) => tunnels.requireOpen(id), emit, stepMs)

  const handlers: PortholeHandlers = {
    getAppInfo: async () => ({
      version: '0.1.0-fake',
      shell: 'web',
      storePath: '(in memory)',
      storeProblem: null,
      awsConfigured: true,
    }),
    ...targets.handlers,
    ...tunnels.handlers,
    ...queries,
    ...createFakeWorkspace(),
  }

  const api = createApiClient({
    async call(method, arg) {
      try {
        if (!isMethodName(method)) throw PortholeError.of('NOT_FOUND', `Unknown method "${String(method)}"`)
        const parsed = parseArg(method, arg)
        const result = await (handlers[method] as (a: unknown) => Promise<unknown>)(parsed)
        return structuredClone(result)
      } catch (err) {
        // Same shape as a real transport: only ErrorInfo crosses, re-wrapped as PortholeError.
        throw new PortholeError(structuredClone(toErrorInfo(err)))
      }
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => set.delete(listener)
    },
  })

  if (options.seed) void seed(api)
  return Object.assign(api, { dispose: () => tunnels.dispose() })
}

async function seed(api: PortholeApi): Promise<void> {
  await api.createDemoTarget()
  const common = { rdsPort: 5432, dbUser: 'iam_app', awsProfile: 'dev' }
  await api.saveTarget({
    ...common,
    name: 'orders-prod (eu)',
    region: 'eu-central-1',
    instanceId: 'i-0a1b2c3d4e5f60718',
    rdsHost: 'orders-prod.cluster-ro-c1x2y3z4.eu-central-1.rds.amazonaws.com',
    database: 'orders',
    color: 'red',
    tags: ['prod', 'eu'],
    awsProfile: 'prod-readonly',
  })
  await api.saveTarget({
    ...common,
    name: 'billing-staging',
    region: 'us-west-2',
    instanceId: 'i-0000aaaabbbbcccc1',
    rdsHost: 'billing-staging.c7d8e9f0a1b2.us-west-2.rds.amazonaws.com',
    database: 'billing',
    color: 'amber',
    tags: ['staging'],
  })
  await api.saveTarget({
    ...common,
    name: 'analytics (MFA)',
    region: 'us-east-1',
    instanceId: 'i-0fedcba9876543210',
    rdsHost: 'analytics.abcdef123456.us-east-1.rds.amazonaws.com',
    database: 'analytics',
    color: 'blue',
    awsProfile: 'mfa',
  })
}
