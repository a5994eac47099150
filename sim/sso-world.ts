// The simulated IAM Identity Center directory: its start URL, the accounts and permission sets a
// signed-in user sees, and the handle tests and the demo use for the browser step.

import type { SimSsoAccount } from './api/sso-portal'
import type { SsoServer } from './api/sso-server'

/** The start URL the simulated directory answers for. */
export const SIM_SSO_START_URL = 'https://porthole-sim.awsapps.com/start'

export interface SimSsoOptions {
  accounts?: SimSsoAccount[]
  /** Polling interval handed out (s); the real service answers 1. */
  intervalSec?: number
  /** Device code lifetime (s); the real service answers 600. */
  deviceCodeTtlSec?: number
  /** Access token lifetime (s). */
  accessTokenTtlSec?: number
}

export interface SimSso {
  /** For AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC. */
  endpoint: string
  startUrl: string
  region: string
  accounts: SimSsoAccount[]
  /** The browser step: the user allows, refuses, or lets the code lapse. False if no such code waits. */
  approve(userCode: string): boolean
  deny(userCode: string): boolean
  expire(userCode: string): boolean
  /** User codes waiting for the browser step. */
  pendingUserCodes(): string[]
  /** Ends every issued access token (the session expired or was revoked). */
  revokeAll(): void
}

/** Two roles in the demo account (one may not list EC2), plus two more accounts for paging. */
export function defaultSsoAccounts(accountId: string): SimSsoAccount[] {
  return [
    {
      accountId,
      accountName: 'porthole-demo',
      emailAddress: 'aws-demo@example.com',
      roles: [
        { roleName: 'PortholeDeveloper' },
        { roleName: 'NoEc2Describe', deny: ['ec2:DescribeInstances'] },
      ],
    },
    {
      accountId: '210987654321',
      accountName: 'sandbox',
      emailAddress: 'aws-sandbox@example.com',
      roles: [{ roleName: 'ReadOnly' }],
    },
    {
      accountId: '345678901234',
      accountName: 'shared-services',
      emailAddress: 'aws-shared@example.com',
      roles: [{ roleName: 'ReadOnly' }],
    },
  ]
}

/** The handle startSimulator() returns for the SSO server. */
export function simSso(server: SsoServer, region: string, accounts: SimSsoAccount[]): SimSso {
  return {
    endpoint: server.endpoint,
    startUrl: SIM_SSO_START_URL,
    region,
    accounts,
    approve: (c) => server.oidc.decide(c, 'approve'),
    deny: (c) => server.oidc.decide(c, 'deny'),
    expire: (c) => server.oidc.decide(c, 'expire'),
    pendingUserCodes: () => server.oidc.pendingUserCodes(),
    revokeAll: () => server.oidc.revokeAll(),
  }
}
