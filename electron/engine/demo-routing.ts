// The demo target is a saved target like any other, except that its AWS lives in-process: the
// simulator starts on first use (ephemeral ports change every run), and the target the tunnel and
// database layers see is rewritten to point at it. Nothing about the demo is persisted but its name.
import { PortholeError } from '../../shared/errors'
import type { Target } from '../../shared/target-schema'
import type { AwsCredentials } from '../aws/aws-types'
import type { Logger } from '../base/logger'

/** What the engine needs from a running simulator (sim/index.ts startSimulator()). */
export interface DemoSimulator {
  endpoint: string
  region: string
  credentials: AwsCredentials
  instances: Array<{ instanceId: string }>
  databases: Array<{ rdsHost: string; rdsPort: number; database: string; dbUser: string; engine: string }>
  caFile: string
  close(): Promise<void>
}

export type StartDemoSimulator = () => Promise<DemoSimulator>

/** Routes demo targets to a lazily started simulator; real targets pass through untouched. */
export class DemoRouting {
  private sim: Promise<DemoSimulator> | undefined

  constructor(
    private readonly start: StartDemoSimulator,
    private readonly logger: Logger,
  ) {}

  /** The target as the tunnel and database layers must see it. */
  async effective(target: Target): Promise<Target> {
    if (!target.demo) return target
    const sim = await this.simulator()
    const db = sim.databases.find((d) => (target.engine === 'mysql') === (d.engine !== 'postgres'))
    const instance = sim.instances[0]
    if (!db && target.engine === 'mysql')
      throw PortholeError.of(
        'UNAVAILABLE',
        'The MySQL demo needs MariaDB or MySQL at 127.0.0.1:3306; none answered when the simulator started.',
        {
          hint: 'Install and start mariadb-server (Debian: apt-get install mariadb-server), then restart Porthole.',
        },
      )
    if (!db || !instance) throw new Error('The demo simulator has no database or instance')
    return {
      ...target,
      region: sim.region,
      endpointUrl: sim.endpoint,
      caFile: sim.caFile,
      instanceId: instance.instanceId,
      rdsHost: db.rdsHost,
      rdsPort: db.rdsPort,
      database: db.database,
      dbUser: db.dbUser,
      awsProfile: undefined,
    }
  }

  /** Whether the simulator serves a MySQL twin (starts the simulator when needed). */
  async hasMySql(): Promise<boolean> {
    const sim = await this.simulator()
    return sim.databases.some((d) => d.engine !== 'postgres')
  }

  /** Static credentials for a demo target (the simulator's keys); undefined for real targets. */
  credentialsFor(target: Target): AwsCredentials | undefined {
    if (!target.demo || !this.started) return undefined
    return this.started.credentials
  }

  private started: DemoSimulator | undefined

  private simulator(): Promise<DemoSimulator> {
    if (!this.sim) {
      this.logger.info('starting the built-in AWS simulator for the demo target')
      this.sim = this.start().then(
        (sim) => {
          this.started = sim
          this.logger.info(`demo simulator ready at ${sim.endpoint}`)
          return sim
        },
        (err: unknown) => {
          this.sim = undefined // a later Connect may retry
          throw err
        },
      )
    }
    return this.sim
  }

  /** Stops the simulator if it was started. */
  async close(): Promise<void> {
    const sim = this.sim
    this.sim = undefined
    this.started = undefined
    if (sim) await (await sim.catch(() => undefined))?.close()
  }
}
