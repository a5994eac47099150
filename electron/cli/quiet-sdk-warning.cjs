// The AWS SDK warns on every run (8 lines) that its releases after January 2027 will need Node 22.
// Electron already ships Node 22+, and a CLI user cannot act on it, so exactly that warning is
// dropped; every other warning still reaches Node's own printer. The SDK emits it as a plain
// `Warning` whose message starts with its name, so the message is what identifies it.

/** True for the AWS SDK's Node-version support warning and nothing else. */
function isSdkNodeVersionWarning(warning) {
  return (
    warning?.name === 'NodeVersionSupportWarning' ||
    (typeof warning?.message === 'string' &&
      warning.message.startsWith('NodeVersionSupportWarning: The AWS SDK for JavaScript'))
  )
}

/** Replaces the 'warning' listeners with ones that skip the SDK's Node-version warning. */
function quietSdkNodeVersionWarning(proc = process) {
  const printers = proc.listeners('warning')
  proc.removeAllListeners('warning')
  proc.on('warning', (warning) => {
    if (!isSdkNodeVersionWarning(warning)) for (const print of printers) print(warning)
  })
}

module.exports = { isSdkNodeVersionWarning, quietSdkNodeVersionWarning }
