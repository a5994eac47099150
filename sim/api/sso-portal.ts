// The IAM Identity Center portal (rest-json, unsigned, bearer token in x-amz-sso_bearer_token):
// ListAccounts, ListAccountRoles and GetRoleCredentials. Role credentials become principals of the
// simulated IAM, so what a role may not do (its deny list) is refused by the APIs that check it.
import { randomBytes } from 'node:crypto'
import { newKeyPair, type SimIam } from '../iam'
import { pageOf } from './paging'
import { ApiError } from './sigv4-verify'

export interface SimSsoAccount {
  accountId: string
  accountName: string
  emailAddress: string
  roles: Array<{ roleName: string; deny?: string[] }>
}

export interface PortalContext {
  iam: SimIam
  accounts: SimSsoAccount[]
  /** accessToken → expiry ms (from the OIDC side). */
  accessTokens: Map<string, number>
  /** Lifetime of role credentials, seconds. */
  credentialTtlSec: number
  pageSize: number
  /** Who signed in: the last segment of assumed-role ARNs. */
  userName: string
  now?: () => number
}

function bearer(ctx: PortalContext, token: string | undefined): void {
  const exp = token ? ctx.accessTokens.get(token) : undefined
  if (!exp || exp <= (ctx.now?.() ?? Date.now()))
    throw new ApiError('UnauthorizedException', 'Session token not found or invalid', 401)
}

function maxResult(raw: string | null): number {
  if (raw === null) return 100
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new ApiError('InvalidRequestException', 'max_result must be between 1 and 100')
  return n
}

/** Runs one portal operation by method and path; throws ApiError for refusals. */
export function runPortalOperation(
  ctx: PortalContext,
  method: string,
  url: URL,
  token: string | undefined,
): Record<string, unknown> {
  const q = url.searchParams
  const route = `${method} ${url.pathname}`
  if (route === 'GET /assignment/accounts') {
    bearer(ctx, token)
    const { page, next } = pageOf(
      ctx.accounts,
      Math.min(maxResult(q.get('max_result')), ctx.pageSize),
      q.get('next_token') ?? undefined,
      'sso:accounts',
      'InvalidRequestException',
    )
    return {
      accountList: page.map(({ accountId, accountName, emailAddress }) => ({
        accountId,
        accountName,
        emailAddress,
      })),
      ...(next ? { nextToken: next } : {}),
    }
  }
  if (route === 'GET /assignment/roles') {
    bearer(ctx, token)
    const account = ctx.accounts.find((a) => a.accountId === q.get('account_id'))
    if (!q.get('account_id')) throw new ApiError('InvalidRequestException', 'account_id is required')
    const roles = (account?.roles ?? []).map((r) => ({ roleName: r.roleName, accountId: account?.accountId }))
    const { page, next } = pageOf(
      roles,
      Math.min(maxResult(q.get('max_result')), ctx.pageSize),
      q.get('next_token') ?? undefined,
      'sso:roles',
      'InvalidRequestException',
    )
    return { roleList: page, ...(next ? { nextToken: next } : {}) }
  }
  if (route === 'GET /federation/credentials') {
    const roleName = q.get('role_name')
    const accountId = q.get('account_id')
    if (!roleName || !accountId)
      throw new ApiError('InvalidRequestException', 'role_name and account_id are required')
    bearer(ctx, token)
    const role = ctx.accounts
      .find((a) => a.accountId === accountId)
      ?.roles.find((r) => r.roleName === roleName)
    if (!role) throw new ApiError('ForbiddenException', 'No access', 403)
    const keys = newKeyPair('ASIA')
    const sessionToken = randomBytes(96).toString('base64')
    ctx.iam.addPrincipal({
      arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${roleName}_0123456789abcdef/${ctx.userName}`,
      ...keys,
      sessionToken,
      deny: role.deny,
    })
    const expiration = (ctx.now?.() ?? Date.now()) + ctx.credentialTtlSec * 1000
    return { roleCredentials: { ...keys, sessionToken, expiration } }
  }
  if (route === 'POST /logout') {
    if (token) ctx.accessTokens.delete(token)
    return {}
  }
  throw new ApiError('UnknownOperationException', `No operation at ${route}`, 404)
}
