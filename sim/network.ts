// The simulated VPC: what the agent on the managed instance can reach. StartSession names a host
// and port as the real document does (the RDS endpoint name); the agent resolves it here to the
// loopback address where the simulator's gate actually listens.
import type { SimResolver } from './agent'

export interface NetworkAddress {
  host: string
  port: number
}

/** Host:port routing table of the simulated VPC (host names are case-insensitive, like DNS). */
export class SimNetwork implements SimResolver {
  private readonly routes = new Map<string, NetworkAddress>()

  /** Makes `host:port` reachable from the instance, forwarding to `to`. */
  register(host: string, port: number, to: NetworkAddress): void {
    this.routes.set(`${host.toLowerCase()}:${port}`, to)
  }

  /** Where `host:port` leads, or undefined when nothing answers there (the dial fails). */
  resolve(host: string, port: number): NetworkAddress | undefined {
    return this.routes.get(`${host.toLowerCase()}:${port}`)
  }
}
