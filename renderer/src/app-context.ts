// The one place the renderer's services are built (Teleport AppContext): each gets the api by
// constructor injection, and `start()` wires the event subscriptions.
import type { PortholeApi } from '../../shared/ipc/contract'
import { AccountService } from './services/account-service'
import { BrowserService } from './services/browser-service'
import { ExplainService } from './services/explain-service'
import { MfaService } from './services/mfa-service'
import { ProxiesService } from './services/proxies-service'
import { EMPTY_CONSOLE, QueryService } from './services/query-service'
import { TargetsService } from './services/targets-service'
import { TunnelsService } from './services/tunnels-service'
import { UiService } from './services/ui-service'
import { WorkspaceService } from './services/workspace-service'

/** All renderer services, composed over one PortholeApi. */
export class AppContext {
  readonly ui = new UiService()
  readonly targets: TargetsService
  readonly tunnels: TunnelsService
  readonly browser: BrowserService
  readonly queries: QueryService
  readonly mfa: MfaService
  readonly workspace: WorkspaceService
  readonly explain: ExplainService
  readonly proxies: ProxiesService
  readonly account: AccountService

  constructor(readonly api: PortholeApi) {
    this.targets = new TargetsService(api, this.ui)
    this.tunnels = new TunnelsService(api)
    this.browser = new BrowserService(api)
    this.queries = new QueryService(api)
    this.mfa = new MfaService(api)
    this.explain = new ExplainService(api)
    this.workspace = new WorkspaceService(api, this.ui, () => EMPTY_CONSOLE.sql)
    this.proxies = new ProxiesService(api)
    this.account = new AccountService(api, this.targets, this.ui)
  }

  /** Subscribes to engine events and loads initial data; returns the cleanup. */
  start(): () => void {
    const offs = [
      this.targets.start(),
      this.tunnels.start(),
      this.mfa.start(),
      this.proxies.start(),
      this.account.start(),
    ]
    this.ui.saveTheme = (theme) => void this.api.saveUiSettings({ theme }).catch(() => undefined)
    void this.api.getUiSettings().then(
      (s) => this.ui.adoptSavedTheme(s.theme),
      () => undefined, // an engine without settings: the page's own choice stands
    )
    void this.targets.loadProfiles()
    void this.account.loadProfiles()
    return () => {
      for (const off of offs) off()
    }
  }
}
