// Renderer entry: the contract client for this page (preload inside Electron, loopback bridge in a
// browser) and the app mounted over it. Test doubles never ship here: the e2e suite builds its own
// entry (tests/e2e/fake-app/) with the in-memory fake.
import { getApi } from './api/index'
import { mountApp } from './mount-app'

mountApp(getApi())
