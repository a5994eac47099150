// The one data dir every shell uses (app, CLI, web server): PORTHOLE_HOME wins, then XDG, then ~.
import assert from 'node:assert/strict'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { dataDir } from '../../../electron/base/data-dir'

test('PORTHOLE_HOME, else $XDG_CONFIG_HOME/porthole, else ~/.config/porthole', () => {
  assert.equal(dataDir({ PORTHOLE_HOME: '/p', XDG_CONFIG_HOME: '/x' }), '/p')
  assert.equal(dataDir({ XDG_CONFIG_HOME: '/x' }), join('/x', 'porthole'))
  assert.equal(dataDir({ XDG_CONFIG_HOME: '' }), join(homedir(), '.config', 'porthole'))
  assert.equal(dataDir({}), join(homedir(), '.config', 'porthole'))
})
