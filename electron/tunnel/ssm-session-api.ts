// The port the tunnel needs from AWS: the three SSM session calls. Implemented over
// @aws-sdk/client-ssm in electron/aws/ssm-api.ts, and by fakes in tests.

/** SSM session APIs the tunnel needs. */
export interface SsmSessionApi {
  startSession(input: {
    target: string
    documentName: string
    parameters: Record<string, string[]>
    reason?: string
  }): Promise<{ sessionId: string; streamUrl: string; tokenValue: string }>
  resumeSession(sessionId: string): Promise<{ sessionId: string; streamUrl: string; tokenValue: string }>
  terminateSession(sessionId: string): Promise<void>
}
