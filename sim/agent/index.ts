// The simulated Session Manager agent + stream service, as startSimulator() composes it.

export type { StreamService, StreamServiceOptions } from './stream-service'
export { startStreamService } from './stream-service'
export type { AgentFaults, SessionCounters, SessionRegistration, SimLogger, SimResolver } from './types'
export { DEFAULT_FAULTS } from './types'
