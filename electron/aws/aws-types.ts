// Types shared by the AWS layer's modules and its consumers (engine, database layer).
import type { MfaPrompt } from '../../shared/ipc/models'

/** Static or temporary AWS credentials, as the SDK uses them. */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiration?: Date
}

/** Asks the user for an MFA code (renderer dialog or CLI prompt); resolves '' when cancelled. */
export type MfaCodeProvider = (prompt: Omit<MfaPrompt, 'promptId'>) => Promise<string>
