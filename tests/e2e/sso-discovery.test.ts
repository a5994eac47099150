// From an AWS account to a first query, in Chromium through the loopback bridge with the real
// engine: sign in through IAM Identity Center on the simulator (the browser step is the
// simulator's own verification page), discover, add a target in two clicks, connect and query.
// Then the refusals: an expired code, a denied one, and AccessDenied on one discovery API.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext } from 'playwright-core'
import { silentLogger } from '../../electron/base/logger'
import { type Bridge, startBridge } from '../../electron/bridge/bridge-server'
import { createDispatcher } from '../../electron/ipc/dispatcher'
import { DEMO } from '../../shared/demo'
import { type Simulator, startSimulator } from '../../sim/index'
import { createSsoEnv, type SsoEnv } from '../fixtures/sso-env'
import { startTestEngine, type TestEngine } from '../fixtures/test-engine'
import { AppPage } from './pages/app-page'
import { AwsPage } from './pages/aws-page'
import { buildRenderer, launchChromium, REPO_ROOT, skipReason } from './support/browser'

const skip = skipReason()
if (skip) console.log(`# SKIP sso-discovery: ${skip}`)
const shots = join(REPO_ROOT, 'tests/e2e/screenshots')

// The whole journey (simulator, renderer build, Chromium, sign-in, tunnel) in one suite: give it room
// on a loaded machine; every step inside waits for a state, not for a time.
describe('SSO sign-in and discovery in the app', { skip: skip ?? false, timeout: 900_000 }, () => {
  let sim: Simulator
  let home: SsoEnv
  let te: TestEngine
  let bridge: Bridge
  let browser: Browser
  let context: BrowserContext
  let app: AppPage
  let aws: AwsPage
  const shot = (name: string) => app.page.screenshot({ path: join(shots, `${name}.png`) })

  before(async () => {
    sim = await startSimulator()
    home = await createSsoEnv(sim)
    home.apply() // the SDK's SSO provider reads HOME and the SSO endpoint from process.env
    te = await startTestEngine({ env: home.env })
    const outDir = join(te.dir, 'renderer')
    await buildRenderer(outDir)
    bridge = await startBridge({
      dispatch: createDispatcher(te.engine.handlers),
      bus: te.engine.bus,
      staticDir: outDir,
      logger: silentLogger,
    })
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    app = new AppPage(await context.newPage())
    aws = new AwsPage(app.page)
    await app.open(bridge.url)
  })

  after(async () => {
    await context?.close()
    await browser?.close()
    await bridge?.close()
    await te?.close()
    await sim?.close()
    await home?.close()
  })

  test('discovery without a session offers Sign in; the device flow signs in and lists', async () => {
    await aws.openDiscovery()
    await aws.discover('sim-dev')
    assert.match(await aws.errorText(), /SSO session .* expired|sso login/i)
    await aws.dialog().getByTestId('discovery-error-sign-in').click()
    const code = await aws.userCode()
    assert.match(code, /^[A-Z]{4}-[A-Z]{4}$/)
    await shot('sso-sign-in')
    await aws.decideInBrowser(context, 'approve')
    await aws.waitStage('signed-in')
    await aws.signIn().getByTestId('sign-in-principal').waitFor()
    assert.match(
      await aws.signIn().getByTestId('sign-in-principal').innerText(),
      /assumed-role\/AWSReservedSSO_PortholeDeveloper_/,
    )
    await aws.signIn().getByTestId('sign-in-close').click()
    // Signing in re-runs the listing that needed it.
    await aws.dialog().getByTestId('discovery-summary').waitFor({ timeout: 60_000 })
    const ids = await aws.databaseIds()
    assert.ok(ids.includes(DEMO.dbInstanceIdentifier), ids.join(','))
    assert.equal(await aws.row('orders-mysql').getByTestId('db-iam').innerText(), 'off')
    assert.match(await aws.row('orders-mysql').innerText(), /IAM database authentication is off/)
    assert.match(await aws.row(DEMO.dbInstanceIdentifier).getByTestId('db-jump').innerText(), /app-jump-1/)
    await shot('discovery')
  })

  test('two clicks make a target; it connects and answers a query', async () => {
    await aws.addTarget(DEMO.dbInstanceIdentifier)
    await app.targets.select(DEMO.dbInstanceIdentifier)
    const saved = (await te.store.list()).find((t) => t.name === DEMO.dbInstanceIdentifier)
    assert.equal(saved?.awsProfile, 'sim-dev')
    assert.equal(saved?.instanceId, DEMO.instanceId)
    assert.equal(saved?.rdsHost, DEMO.rdsHost)
    assert.equal(saved?.dbUser, DEMO.dbUser)
    // The simulator's database presents a certificate from its own CA, not the Amazon RDS CA.
    if (saved) {
      const { createdAt: _c, updatedAt: _u, ...input } = saved
      await te.store.save({ ...input, caFile: sim.caFile })
    }
    await app.tunnel.connect()
    await app.tunnel.waitForState('open', 90_000)
    await app.console.show()
    await app.console.run('select current_user as who, 41 + 1 as answer', 60_000)
    assert.deepEqual(await app.console.firstRowCells(), [DEMO.dbUser, '42'])
    await shot('discovered-target-query')
  })

  test('an expired code and a denied one each say so', async () => {
    await aws.openDiscovery()
    await aws.dialog().getByTestId('discovery-profile').selectOption('sim-legacy')
    await aws.dialog().getByTestId('discovery-sign-in').click()
    sim.sso.expire(await aws.userCode())
    await aws.waitStage('failed')
    assert.match(await aws.signInError(), /expired before it was approved/)
    await shot('sso-code-expired')
    await aws.signIn().getByTestId('sign-in-retry').click()
    await aws.userCode()
    await aws.decideInBrowser(context, 'deny')
    await aws.waitStage('failed')
    assert.match(await aws.signInError(), /denied in the browser/)
    await aws.signIn().getByTestId('sign-in-close').click()
  })

  test('AccessDenied on DescribeInstances names the permission and keeps the databases', async () => {
    await aws.discover('sim-noec2')
    const problems = await aws.problems()
    assert.equal(problems.length, 1)
    assert.match(problems[0] ?? '', /lack ec2:DescribeInstances/)
    assert.ok((await aws.databaseIds()).length >= 5)
    await shot('discovery-access-denied')
    assert.deepEqual(app.problems, [])
  })
})
