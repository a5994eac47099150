// Types shared by the AWS layer's modules and its consumers (tunnel manager, database layer).
import type { MfaPrompt } from '../../shared/ipc/models'
import type { SsmSessionApi } from '../tunnel/ssm-session-api'

/** Static or temporary AWS credentials, as the SDK uses them. */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiration?: Date
}

/** Everything AWS-facing for one target: credentials, region, endpoint, clients. */
export interface AwsContext {
  region: string
  /** Endpoint override for all services (target setting or AWS_ENDPOINT_URL*), if any. */
  endpointFor(service: 'ssm' | 'rds' | 'sts'): string | undefined
  credentials(options?: { forceRefresh?: boolean }): Promise<AwsCredentials>
  ssm: SsmSessionApi
}

/** Asks the user for an MFA code (renderer dialog or CLI prompt); resolves '' when cancelled. */
export type MfaCodeProvider = (prompt: Omit<MfaPrompt, 'promptId'>) => Promise<string>
