// Shared setup for resilience tests: the simulator with an echo server inside its "VPC", a real
// SSM API client, and a TunnelManager. Tests raise the service's rate cap where they say so.
import { createServer, type Server } from 'node:net'
import { createSsmSessionApi } from '../../electron/aws/ssm-api'
import { silentLogger } from '../../electron/base/logger'
import type { TunnelOptions } from '../../electron/tunnel/tunnel'
import { TunnelManager } from '../../electron/tunnel/tunnel-manager'
import type { Target } from '../../shared/target-schema'
import { type Simulator, type SimulatorOptions, startSimulator } from '../../sim/index'
import { testTarget } from '../fixtures/test-target'

export interface SimFixture {
  sim: Simulator
  manager: TunnelManager
  echoTarget(over?: Partial<Target>): Target
  close(): Promise<void>
}

/** Starts the simulator with `echo.internal:7` routed to a loopback echo server. */
export async function startSimFixture(
  options: SimulatorOptions = {},
  tunnel?: Omit<TunnelOptions, 'api' | 'logger'>,
): Promise<SimFixture> {
  const echo: Server = createServer((s) => s.pipe(s).on('error', () => {}))
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
  const port = (echo.address() as { port: number }).port
  const sim = await startSimulator({
    ...options,
    extraRoutes: [{ host: 'echo.internal', port: 7, to: { host: '127.0.0.1', port } }],
  })
  const api = createSsmSessionApi({
    region: sim.region,
    endpoint: sim.endpoint,
    credentials: async () => sim.credentials,
    maxAttempts: 2,
  })
  const manager = new TunnelManager({ apiFor: () => api, logger: silentLogger, tunnel })
  return {
    sim,
    manager,
    echoTarget: (over = {}) =>
      testTarget({
        region: sim.region,
        instanceId: sim.instances[0]!.instanceId,
        rdsHost: 'echo.internal',
        rdsPort: 7,
        ...over,
      }),
    close: async () => {
      await manager.closeAll()
      api.destroy()
      await sim.close()
      echo.close()
    },
  }
}
