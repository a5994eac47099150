// The one seam where a saved target becomes what the tunnel and database layers use: the effective
// target (endpoint, CA, instance, database) and where its AWS credentials come from. Real targets
// pass through with their profile. The demo target is rewritten to the simulator that a composition
// root injected (electron/main.ts, the CLI); it starts on first use because its ports change every
// run. Nothing about the demo is persisted but its name.
import { PortholeError } from '../../shared/errors'
import type { Target } from '../../shared/target-schema'
import type { AwsCredentials } from '../aws/aws-types'
import type { CredentialSource } from '../aws/credentials'
import type { Logger } from '../base/logger'

/** What the engine needs from a running simulator (sim/index.ts startSimulator() fits). */
export interface DemoSimulator {
  endpoint: string
  region: string
  credentials: AwsCredentials
  instances: Array<{ instanceId: string }>
  databases: Array<{ rdsHost: string; rdsPort: number; database: string; dbUser: string; engine: string }>
  caFile: string
  close(): Promise<void>
}

/** Starts the demo simulator; injected by the composition roots, never imported by the engine. */
export type StartDemoSimulator = () => Promise<DemoSimulator>

/** Resolves targets once for every layer below the engine. */
export class TargetRouting {
  private sim: Promise<DemoSimulator> | undefined
  private started: DemoSimulator | undefined

  constructor(
    private readonly startDemo: StartDemoSimulator | undefined,
    private readonly logger: Logger,
  ) {}

  /** The target as the tunnel and database layers must see it. */
  async route(target: Target): Promise<Target> {
    if (!target.demo) return target
    const sim = await this.simulator()
    // The MySQL demo twin exists only when the simulator found MariaDB/MySQL (demo-mysql.ts).
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

  /** Where a routed target's credentials come from: the simulator's keys or the target's profile. */
  credentialSource(target: Pick<Target, 'demo' | 'awsProfile'>): CredentialSource {
    if (!target.demo) return { profile: target.awsProfile || undefined }
    if (!this.started) throw new Error('A demo target was used before it was routed to the simulator')
    return { static: this.started.credentials }
  }

  private simulator(): Promise<DemoSimulator> {
    const start = this.startDemo
    if (!start)
      return Promise.reject(
        PortholeError.of('UNAVAILABLE', 'The demo simulator is not available in this build', {
          hint: 'Run Porthole from the app or the porthole CLI, which bring the simulator along.',
        }),
      )
    if (!this.sim) {
      this.logger.info('starting the built-in AWS simulator for the demo target')
      this.sim = start().then(
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
