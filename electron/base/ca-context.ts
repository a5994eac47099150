// Parsed CA sets for every TLS connection to a database (the app's pools, the proxy's upstreams),
// cached by content. The Amazon RDS bundle is 120 certificates: parsing it costs about 30 ms of
// main-thread CPU, and a CA list in the TLS options is parsed again for every connection, so each
// new pooled connection, proxy client and cancel would pay it. A target's own CA file is re-read per connection (it may be
// replaced), so the key is the content, not the array.
import tls from 'node:tls'

const MAX_ENTRIES = 8
const contexts = new Map<string, tls.SecureContext>()

/** A SecureContext trusting exactly `ca` (no system roots), shared by every dial with that set. */
export function secureContextFor(ca: readonly string[]): tls.SecureContext {
  const key = ca.join('\n')
  const cached = contexts.get(key)
  if (cached) return cached
  const context = tls.createSecureContext({ ca: [...ca] })
  // A handful of targets with different CA files at most; drop the oldest beyond that.
  if (contexts.size >= MAX_ENTRIES) contexts.delete(contexts.keys().next().value as string)
  contexts.set(key, context)
  return context
}
