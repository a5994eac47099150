// AWS's own client pair as a bench peer: `aws ssm start-session` with session-manager-plugin,
// forwarding a local port to a host:port of the simulated VPC, against the same simulator. Used
// only where both are on PATH (the plugin is not packaged for Debian or npm).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PluginSession {
  localPort: number
  sessionId: string
  close(): Promise<void>
}

/** Why the plugin side cannot run here, or null when `aws` and the plugin are both installed. */
export function pluginUnavailable(): string | null {
  if (spawnSync('aws', ['--version']).error) return 'aws (the AWS CLI) is not on PATH'
  if (spawnSync('session-manager-plugin', ['--version']).error) return 'session-manager-plugin is not on PATH'
  return null
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

/** Starts a port-forwarding session to `host:port` through the plugin; resolves once it listens. */
export async function startPluginSession(sim: {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  instanceId: string
  host: string
  port: number
}): Promise<PluginSession> {
  const home = mkdtempSync(join(tmpdir(), 'porthole-bench-plugin-'))
  writeFileSync(join(home, 'config'), '')
  const localPort = await freePort()
  const child = spawn(
    'aws',
    [
      'ssm',
      'start-session',
      '--endpoint-url',
      sim.endpoint,
      '--target',
      sim.instanceId,
      '--document-name',
      'AWS-StartPortForwardingSessionToRemoteHost',
      '--parameters',
      `host=${sim.host},portNumber=${sim.port},localPortNumber=${localPort}`,
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'config'),
        AWS_ACCESS_KEY_ID: sim.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sim.credentials.secretAccessKey,
        AWS_DEFAULT_REGION: sim.region,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  let out = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString()
      if (out.includes('Waiting for connections')) resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`aws ssm start-session exited (${code}): ${out.trim()}`)))
  })
  return {
    localPort,
    sessionId: /SessionId: (\S+)/.exec(out)?.[1] ?? '',
    async close() {
      child.kill('SIGINT')
      await exited
      rmSync(home, { recursive: true, force: true })
    },
  }
}
