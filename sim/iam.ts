// Principals and a deny-list policy for the simulator: enough IAM to sign requests, look up
// secrets and answer AccessDenied the way AWS words it. Arrow properties so they can be passed
// around unbound (the RDS gate takes `lookup` and `isAllowed` as plain functions).
import { randomBytes } from 'node:crypto'
import { DEMO } from '../shared/demo'

export interface SimPrincipal {
  arn: string
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  /** Actions this principal is explicitly denied, e.g. 'ssm:StartSession', 'rds-db:connect'. */
  deny?: string[]
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** A fresh AWS-shaped access key id (AKIA + 16 chars) and 40-char secret. */
export function newKeyPair(prefix = 'AKIA'): { accessKeyId: string; secretAccessKey: string } {
  const id = [...randomBytes(16)].map((b) => ALNUM[b % ALNUM.length]).join('')
  return { accessKeyId: prefix + id, secretAccessKey: randomBytes(30).toString('base64').slice(0, 40) }
}

/** The short name AWS puts in session ids: the last path segment of the principal's ARN. */
export function principalName(arn: string): string {
  return arn.split(/[/:]/).pop() || 'user'
}

export class SimIam {
  private readonly byKey = new Map<string, SimPrincipal>()

  constructor(principals?: SimPrincipal[]) {
    for (const p of principals ?? [SimIam.defaultPrincipal()]) this.addPrincipal(p)
  }

  /** The developer principal of the demo account, with keys random per run. */
  static defaultPrincipal(): SimPrincipal {
    return { arn: `arn:aws:iam::${DEMO.accountId}:user/porthole-dev`, ...newKeyPair() }
  }

  /** Adds (or replaces) a principal. */
  addPrincipal = (p: SimPrincipal): void => {
    this.byKey.set(p.accessKeyId, { ...p, deny: [...(p.deny ?? [])] })
  }

  /** The principal owning an access key id. */
  lookup = (accessKeyId: string): SimPrincipal | undefined => this.byKey.get(accessKeyId)

  /** Every principal, in insertion order. */
  principals = (): SimPrincipal[] => [...this.byKey.values()]

  /** Denies an action to the principal with this ARN (tests of AccessDenied). */
  deny = (arn: string, action: string): void => {
    for (const p of this.byKey.values()) if (p.arn === arn && !p.deny?.includes(action)) p.deny?.push(action)
  }

  /** Lifts a denial. */
  allow = (arn: string, action: string): void => {
    for (const p of this.byKey.values())
      if (p.arn === arn) p.deny = (p.deny ?? []).filter((a) => a !== action)
  }

  /** Deny-list policy: everything is allowed unless explicitly denied (resource kept for logs). */
  isAllowed = (principal: SimPrincipal, action: string, _resourceArn: string): boolean =>
    !(principal.deny ?? []).includes(action)
}
