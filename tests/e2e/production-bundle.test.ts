// The product's renderer bundle carries no test double: the in-memory fake API lives in
// tests/fixtures/fake-api and is built only into the e2e entry. Both flavours are built here; the
// same markers must be absent from the product and present in the fake build (so the check can fail).
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { buildRenderer } from './support/browser'

// Strings that exist only in the fake: its ARNs, session ids, seeded targets and table names.
const FAKE_MARKERS = [
  'arn:aws:iam::123456789012:mfa/dev-user',
  'porthole-dev-0a1b2c3d4e5f67890',
  'orders-prod.cluster-ro-c1x2y3z4.eu-central-1.rds.amazonaws.com',
  'billing-staging',
  'xss_samples',
  'customers_id_seq',
]

async function bundleText(dir: string): Promise<string> {
  const assets = await readdir(join(dir, 'assets'))
  const parts = await Promise.all(
    assets.filter((f) => f.endsWith('.js')).map((f) => readFile(join(dir, 'assets', f), 'utf8')),
  )
  return parts.join('\n') + (await readFile(join(dir, 'index.html'), 'utf8'))
}

describe('renderer bundles', () => {
  let productDir: string
  let fakeDir: string

  before(async () => {
    productDir = await mkdtemp(join(tmpdir(), 'porthole-product-'))
    fakeDir = await mkdtemp(join(tmpdir(), 'porthole-fake-'))
    await buildRenderer(productDir, 'product')
    await buildRenderer(fakeDir, 'fake')
  })

  after(async () => {
    for (const dir of [productDir, fakeDir]) if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('the fake build contains every marker (the check below can fail)', async () => {
    const text = await bundleText(fakeDir)
    for (const marker of FAKE_MARKERS) assert.ok(text.includes(marker), `fake build lacks ${marker}`)
  })

  test('the production build contains none of the fake', async () => {
    const text = await bundleText(productDir)
    const found = FAKE_MARKERS.filter((m) => text.includes(m))
    assert.deepEqual(found, [], `fake API strings in the product bundle: ${found.join(', ')}`)
    assert.ok(!text.includes('?fake') && !/\bcreateFakeApi\b/.test(text))
  })
})
