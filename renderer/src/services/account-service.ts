// AWS accounts in the UI: profiles with kind and sign-in state, the principal behind a profile,
// the in-app IAM Identity Center sign-in (code + verification page, outcome by onSsoLogin) and
// discovery ("Add from AWS") up to saving a target. Dialog state lives here, not in UiService.
import type { ErrorInfo } from '../../../shared/errors'
import type {
  CallerIdentity,
  DiscoveredDatabase,
  Discovery,
  ProfileDetail,
  SsoLogin,
} from '../../../shared/ipc/aws-models'
import type { PortholeApi } from '../../../shared/ipc/contract'
import { Store } from '../state/store'
import { errorInfoOf } from './errors'
import type { TargetsService } from './targets-service'
import type { UiService } from './ui-service'

export type Identity =
  | { state: 'loading' }
  | { state: 'ok'; value: CallerIdentity }
  | { state: 'error'; error: ErrorInfo }

export interface SignInState {
  profile: string
  stage: 'starting' | 'waiting' | 'signed-in' | 'failed'
  login: SsoLogin | null
  error: ErrorInfo | null
}

export interface DiscoveryState {
  open: boolean
  profile: string
  regions: string
  loading: boolean
  result: Discovery | null
  error: ErrorInfo | null
}

export interface AccountState {
  profiles: ProfileDetail[]
  identity: Record<string, Identity>
  signIn: SignInState | null
  discovery: DiscoveryState
  shell: 'electron' | 'web'
}

/** Choices the user confirms before a discovered database becomes a target. */
export interface DiscoveredTargetChoice {
  name: string
  instanceId: string
  database: string
  dbUser: string
}

/** Only https pages, or a simulator on loopback, are offered as links. */
export function isSafeLink(raw: string | null): raw is string {
  if (!raw) return false
  try {
    const u = new URL(raw)
    return (
      u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(u.hostname))
    )
  } catch {
    return false
  }
}

/** Renderer service for profiles, sign-in and discovery. */
export class AccountService {
  readonly store = new Store<AccountState>({
    profiles: [],
    identity: {},
    signIn: null,
    discovery: { open: false, profile: '', regions: '', loading: false, result: null, error: null },
    shell: 'web',
  })

  constructor(
    private readonly api: PortholeApi,
    private readonly targets: TargetsService,
    private readonly ui: UiService,
  ) {}

  /** Follows sign-in outcomes; returns the unsubscribe. */
  start(): () => void {
    void this.api
      .getAppInfo()
      .then((info) => this.store.setState({ shell: info.shell }))
      .catch(() => {})
    return this.api.onSsoLogin((e) => {
      const s = this.store.getState().signIn
      if (!s || s.login?.loginId !== e.loginId) return
      if (e.state === 'cancelled') return this.store.setState({ signIn: null })
      this.store.setState({ signIn: { ...s, stage: e.state, error: e.error } })
      if (e.state === 'signed-in') void this.afterSignIn(e.profile)
    })
  }

  /** Loads the profile list (kind, region, sign-in state). */
  async loadProfiles(): Promise<void> {
    try {
      this.store.setState({ profiles: await this.api.listProfileDetails() })
    } catch {
      this.store.setState({ profiles: [] })
    }
  }

  /** Resolves the principal behind a profile ('' = default chain). */
  async whoAmI(profile: string): Promise<void> {
    const key = profile
    this.store.setState((s) => ({ identity: { ...s.identity, [key]: { state: 'loading' } } }))
    let next: Identity
    try {
      next = { state: 'ok', value: await this.api.getCallerIdentity(profile ? { profile } : {}) }
    } catch (err) {
      next = { state: 'error', error: errorInfoOf(err) }
    }
    this.store.setState((s) => ({ identity: { ...s.identity, [key]: next } }))
  }

  /** Starts the sign-in of an SSO profile (refresh first, else the device flow). */
  async signIn(profile: string): Promise<void> {
    this.store.setState({ signIn: { profile, stage: 'starting', login: null, error: null } })
    try {
      const login = await this.api.startSsoLogin({ profile })
      if (login.refreshed) {
        this.store.setState({ signIn: { profile, stage: 'signed-in', login, error: null } })
        await this.afterSignIn(profile)
      } else {
        this.store.setState({ signIn: { profile, stage: 'waiting', login, error: null } })
        // Electron opens the page in the system browser, as aws sso login does; the web UI shows a link.
        if (this.store.getState().shell === 'electron') await this.openVerification()
      }
    } catch (err) {
      this.store.setState({ signIn: { profile, stage: 'failed', login: null, error: errorInfoOf(err) } })
    }
  }

  /** Opens the verification page with the system browser (Electron). */
  async openVerification(): Promise<void> {
    const login = this.store.getState().signIn?.login
    if (!login) return
    try {
      const { opened } = await this.api.openSsoVerification({ loginId: login.loginId })
      if (!opened) this.ui.toast('Open the link shown in the dialog in your browser.')
    } catch (err) {
      this.ui.toast(errorInfoOf(err).message, 'error')
    }
  }

  /** Stops waiting (if still waiting) and closes the dialog. */
  closeSignIn(): void {
    const s = this.store.getState().signIn
    if (s?.stage === 'waiting' && s.login)
      void this.api.cancelSsoLogin({ loginId: s.login.loginId }).catch(() => {})
    this.store.setState({ signIn: null })
  }

  private async afterSignIn(profile: string): Promise<void> {
    await Promise.all([this.loadProfiles(), this.whoAmI(profile)])
    const d = this.store.getState().discovery
    if (d.open && d.profile === profile && d.error?.resolvableByLogin) await this.discover()
  }

  /** Opens "Add from AWS" with the default (or first) profile and its region. */
  async openDiscovery(): Promise<void> {
    await this.loadProfiles()
    const { profiles, discovery } = this.store.getState()
    const pick =
      profiles.find((p) => p.name === discovery.profile) ?? profiles.find((p) => p.isDefault) ?? profiles[0]
    this.store.setState({
      discovery: {
        ...discovery,
        open: true,
        profile: pick?.name ?? '',
        regions: discovery.regions || pick?.region || 'us-east-1',
      },
    })
    if (pick) void this.whoAmI(pick.name)
  }

  /** Changes the profile or regions of the discovery form. */
  setDiscoveryInput(patch: Partial<Pick<DiscoveryState, 'profile' | 'regions'>>): void {
    const d = this.store.getState().discovery
    const region = patch.profile
      ? this.store.getState().profiles.find((p) => p.name === patch.profile)?.region
      : null
    this.store.setState({
      discovery: {
        ...d,
        ...patch,
        ...(region && patch.regions === undefined ? { regions: region } : {}),
        result: null,
        error: null,
      },
    })
    if (patch.profile) void this.whoAmI(patch.profile)
  }

  closeDiscovery(): void {
    this.store.setState((s) => ({ discovery: { ...s.discovery, open: false } }))
  }

  /** Lists databases and instances for the chosen profile and regions. */
  async discover(): Promise<void> {
    const d = this.store.getState().discovery
    const regions = d.regions
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter(Boolean)
    this.store.setState({ discovery: { ...d, loading: true, error: null, result: null } })
    try {
      const result = await this.api.discoverResources({ profile: d.profile || undefined, regions })
      this.store.setState((s) => ({ discovery: { ...s.discovery, loading: false, result } }))
    } catch (err) {
      this.store.setState((s) => ({ discovery: { ...s.discovery, loading: false, error: errorInfoOf(err) } }))
    }
  }

  /** Saves a discovered database as a target and selects it; resolves with the error, if any. */
  async addTarget(db: DiscoveredDatabase, choice: DiscoveredTargetChoice): Promise<ErrorInfo | null> {
    if (!db.targetEngine) return { code: 'VALIDATION', message: `Porthole cannot connect to ${db.engine}.` }
    const profile = this.store.getState().discovery.profile
    const outcome = await this.targets.save({
      name: choice.name,
      engine: db.targetEngine,
      awsProfile: profile || undefined,
      region: db.region,
      instanceId: choice.instanceId,
      rdsHost: db.host,
      rdsPort: db.port,
      database: choice.database,
      dbUser: choice.dbUser,
      tags: ['aws'],
    })
    if (!outcome.ok) return outcome.error
    this.closeDiscovery()
    this.ui.toast(`Added ${outcome.target.name}`)
    return null
  }
}
