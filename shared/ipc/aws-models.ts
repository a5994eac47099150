// Payloads of the AWS account features: profiles with their kind and sign-in state, the caller's
// identity, the in-app IAM Identity Center sign-in, and discovery ("Add from AWS").
import * as z from 'zod'
import { errorInfoSchema } from '../errors'

export const PROFILE_KINDS = ['static', 'sso', 'assume-role', 'process', 'web-identity', 'other'] as const

export const profileDetailSchema = z.object({
  name: z.string(),
  kind: z.enum(PROFILE_KINDS),
  region: z.string().nullable(),
  /** assume-role with mfa_serial: resolving it asks for a code. */
  mfa: z.boolean(),
  /** For SSO profiles: the [sso-session] name (null for legacy sso_start_url profiles). */
  ssoSession: z.string().nullable(),
  ssoStartUrl: z.string().nullable(),
  /** SSO token in the shared cache: valid, expired (refreshable or not) or missing; null for non-SSO. */
  signIn: z
    .object({
      state: z.enum(['valid', 'expired', 'missing']),
      expiresAt: z.number().nullable(),
      refreshable: z.boolean(),
    })
    .nullable(),
  /** Whether this is the profile AWS_PROFILE (or `default`) selects. */
  isDefault: z.boolean(),
})
export type ProfileDetail = z.infer<typeof profileDetailSchema>

export const callerIdentitySchema = z.object({
  profile: z.string().nullable(),
  arn: z.string(),
  account: z.string(),
  userId: z.string(),
})
export type CallerIdentity = z.infer<typeof callerIdentitySchema>

export const ssoLoginSchema = z.object({
  loginId: z.string(),
  profile: z.string(),
  /** True when the cached refresh token renewed the session: no browser step needed. */
  refreshed: z.boolean(),
  userCode: z.string().nullable(),
  verificationUri: z.string().nullable(),
  verificationUriComplete: z.string().nullable(),
  /** Epoch ms when the code lapses (device flow) or the new token expires (refresh). */
  expiresAt: z.number(),
})
export type SsoLogin = z.infer<typeof ssoLoginSchema>

export const ssoLoginEventSchema = z.object({
  loginId: z.string(),
  profile: z.string(),
  state: z.enum(['signed-in', 'failed', 'cancelled']),
  error: z.nullable(errorInfoSchema),
  /** Token expiry (epoch ms) once signed in. */
  expiresAt: z.number().nullable(),
})
export type SsoLoginEvent = z.infer<typeof ssoLoginEventSchema>

export const discoveredInstanceSchema = z.object({
  instanceId: z.string(),
  region: z.string(),
  name: z.string().nullable(),
  vpcId: z.string().nullable(),
  subnetId: z.string().nullable(),
  pingStatus: z.string(),
  agentVersion: z.string().nullable(),
  platform: z.string().nullable(),
  /** Online and agent ≥ 3.1.1374.0: can forward to a remote host. */
  canForward: z.boolean(),
})
export type DiscoveredInstance = z.infer<typeof discoveredInstanceSchema>

export const discoveredDatabaseSchema = z.object({
  kind: z.enum(['instance', 'cluster']),
  id: z.string(),
  region: z.string(),
  engine: z.string().describe('RDS engine name, e.g. aurora-postgresql'),
  targetEngine: z.enum(['postgres', 'mysql']).nullable().describe('null: Porthole cannot connect to it'),
  engineVersion: z.string().nullable(),
  host: z.string(),
  port: z.number().int(),
  vpcId: z.string().nullable(),
  iamAuth: z.boolean(),
  dbName: z.string().nullable(),
  masterUsername: z.string().nullable(),
  /** Jump instances in the same VPC that can forward, best first. */
  jumpCandidates: z.array(z.string()),
  warnings: z.array(z.string()),
})
export type DiscoveredDatabase = z.infer<typeof discoveredDatabaseSchema>

export const discoveryProblemSchema = z.object({
  region: z.string(),
  operation: z.string().describe('e.g. DescribeInstances'),
  permission: z.string().describe('the IAM action the call needs, e.g. ec2:DescribeInstances'),
  error: errorInfoSchema,
})
export type DiscoveryProblem = z.infer<typeof discoveryProblemSchema>

export const discoverySchema = z.object({
  profile: z.string().nullable(),
  regions: z.array(z.string()),
  databases: z.array(discoveredDatabaseSchema),
  instances: z.array(discoveredInstanceSchema),
  /** Calls that failed; the others' results are still above. */
  problems: z.array(discoveryProblemSchema),
})
export type Discovery = z.infer<typeof discoverySchema>
