// AWS account features for the fake API: three profiles (one SSO), a sign-in that completes by
// itself after a few steps (the browser step is implied), and a small discovery result. Outputs go
// through the contract's schemas in the fake's `call`, so they cannot drift from the real engine.
import { PortholeError } from '../../../shared/errors'
import type { Discovery, SsoLoginEvent } from '../../../shared/ipc/aws-models'
import type { PortholeHandlers } from '../../../shared/ipc/contract'

type Handlers = Pick<
  PortholeHandlers,
  | 'listProfileDetails'
  | 'getCallerIdentity'
  | 'startSsoLogin'
  | 'cancelSsoLogin'
  | 'openSsoVerification'
  | 'discoverResources'
>

const ACCOUNT = '123456789012'

/** The fake's account handlers; `emit` delivers onSsoLogin. */
export function createFakeAccount(
  emit: (e: SsoLoginEvent) => void,
  stepMs: number,
): Handlers & { dispose(): void } {
  let signedInUntil: number | null = null
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const ssoState = () =>
    signedInUntil && signedInUntil > Date.now()
      ? { state: 'valid' as const, expiresAt: signedInUntil, refreshable: true }
      : { state: 'missing' as const, expiresAt: null, refreshable: false }
  return {
    listProfileDetails: async () => [
      {
        name: 'default',
        kind: 'static',
        region: 'eu-west-1',
        mfa: false,
        ssoSession: null,
        ssoStartUrl: null,
        signIn: null,
        isDefault: true,
      },
      {
        name: 'dev-sso',
        kind: 'sso',
        region: 'us-east-1',
        mfa: false,
        ssoSession: 'corp',
        ssoStartUrl: 'https://example.awsapps.com/start',
        signIn: ssoState(),
        isDefault: false,
      },
      {
        name: 'prod-admin',
        kind: 'assume-role',
        region: 'eu-central-1',
        mfa: true,
        ssoSession: null,
        ssoStartUrl: null,
        signIn: null,
        isDefault: false,
      },
    ],
    getCallerIdentity: async ({ profile }) => {
      if (profile === 'dev-sso' && ssoState().state !== 'valid')
        throw PortholeError.of(
          'CREDENTIALS_EXPIRED',
          'The AWS SSO session for profile "dev-sso" has expired.',
          {
            resolvableByLogin: true,
          },
        )
      return {
        profile: profile ?? null,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Developer/${profile ?? 'default'}`,
        account: ACCOUNT,
        userId: 'AROAFAKE:dev',
      }
    },
    startSsoLogin: async ({ profile }) => {
      if (profile !== 'dev-sso')
        throw PortholeError.of(
          'VALIDATION',
          `Profile "${profile}" does not sign in through IAM Identity Center (SSO).`,
        )
      const loginId = `fake-${Date.now()}`
      const timer = setTimeout(() => {
        timers.delete(timer)
        signedInUntil = Date.now() + 8 * 3600_000
        emit({ loginId, profile, state: 'signed-in', error: null, expiresAt: signedInUntil })
      }, stepMs * 10)
      timers.add(timer)
      const uri = 'https://device.sso.us-east-1.amazonaws.com/'
      return {
        loginId,
        profile,
        refreshed: false,
        userCode: 'BCDF-GHJK',
        verificationUri: uri,
        verificationUriComplete: `${uri}?user_code=BCDF-GHJK`,
        expiresAt: Date.now() + 600_000,
      }
    },
    cancelSsoLogin: async () => ({ cancelled: true }),
    openSsoVerification: async () => ({ opened: false }),
    discoverResources: async ({ profile, regions }): Promise<Discovery> => {
      const region = regions[0] ?? 'us-east-1'
      return {
        profile: profile ?? null,
        regions,
        databases: [
          {
            kind: 'instance',
            id: 'orders',
            region,
            engine: 'postgres',
            targetEngine: 'postgres',
            engineVersion: '16.4',
            host: `orders.abc123.${region}.rds.amazonaws.com`,
            port: 5432,
            vpcId: 'vpc-0a1',
            iamAuth: true,
            dbName: 'orders',
            masterUsername: 'orders_admin',
            jumpCandidates: ['i-0a1b2c3d4e5f60718'],
            warnings: [],
          },
          {
            kind: 'cluster',
            id: 'billing',
            region,
            engine: 'aurora-mysql',
            targetEngine: 'mysql',
            engineVersion: '8.0',
            host: `billing.cluster-abc123.${region}.rds.amazonaws.com`,
            port: 3306,
            vpcId: 'vpc-0b2',
            iamAuth: false,
            dbName: 'billing',
            masterUsername: 'admin',
            jumpCandidates: [],
            warnings: ['IAM database authentication is off.'],
          },
        ],
        instances: [
          {
            instanceId: 'i-0a1b2c3d4e5f60718',
            region,
            name: 'jump-1',
            vpcId: 'vpc-0a1',
            subnetId: 'subnet-1',
            pingStatus: 'Online',
            agentVersion: '3.3.987.0',
            platform: 'Amazon Linux',
            canForward: true,
          },
        ],
        problems: [],
      }
    },
    dispose() {
      for (const t of timers) clearTimeout(t)
    },
  }
}
