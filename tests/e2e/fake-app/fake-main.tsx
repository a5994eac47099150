// E2E-only renderer entry: the real app mounted over the in-memory fake API. Built only by the
// e2e tests (tests/e2e/support/browser.ts with swap-entry.ts), never by the product build.
// `?seeded` starts the fake with the demo target and a few example targets (README screenshots).
import { mountApp } from '../../../renderer/src/mount-app'
import { createFakeApi } from '../../fixtures/fake-api/fake-api'

const params = new URLSearchParams(location.search)
mountApp(createFakeApi({ seed: params.has('seeded') }))
