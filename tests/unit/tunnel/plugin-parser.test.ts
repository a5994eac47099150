import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LineSplitter, parsePluginLine } from '../../../electron/tunnel/plugin-parser'

describe('plugin stdout parser', () => {
  it('classifies the documented lines', () => {
    assert.deepEqual(parsePluginLine('Starting session with SessionId: JohnDoe-1a2b3c'), {
      kind: 'starting',
      sessionId: 'JohnDoe-1a2b3c',
    })
    assert.deepEqual(parsePluginLine('Port 54321 opened for sessionId JohnDoe-1a2b3c.'), {
      kind: 'port-opened',
      port: 54321,
      sessionId: 'JohnDoe-1a2b3c',
    })
    assert.deepEqual(parsePluginLine('Waiting for connections...'), { kind: 'waiting' })
    assert.deepEqual(parsePluginLine('Connection accepted for session [JohnDoe-1a2b3c]'), {
      kind: 'connection-accepted',
      sessionId: 'JohnDoe-1a2b3c',
    })
    assert.deepEqual(parsePluginLine('Connection to destination port failed, check SSM Agent logs.'), {
      kind: 'connect-failed',
    })
    assert.deepEqual(
      parsePluginLine(
        'SessionId: JohnDoe-1a2b3c : Your session timed out due to inactivity and has been terminated.',
      ),
      {
        kind: 'ended',
        sessionId: 'JohnDoe-1a2b3c',
        reason: 'Your session timed out due to inactivity and has been terminated.',
      },
    )
    assert.deepEqual(parsePluginLine('Exiting session with sessionId: JohnDoe-1a2b3c.'), {
      kind: 'exiting',
      sessionId: 'JohnDoe-1a2b3c',
    })
    assert.deepEqual(parsePluginLine('Session: JohnDoe-1a2b3c timed out.'), {
      kind: 'timed-out',
      sessionId: 'JohnDoe-1a2b3c',
    })
    assert.deepEqual(parsePluginLine('Terminate signal received, exiting.'), { kind: 'terminate-signal' })
    assert.deepEqual(parsePluginLine('Cannot perform start session: EOF'), {
      kind: 'start-failed',
      message: 'EOF',
    })
    assert.equal(parsePluginLine(''), null)
    assert.equal(parsePluginLine('some unrelated noise'), null)
  })

  it('splits chunks into lines across boundaries', () => {
    const s = new LineSplitter()
    assert.deepEqual(s.push('\nStarting sess'), [''])
    assert.deepEqual(s.push('ion with SessionId: a\r\nPort 1 op'), ['Starting session with SessionId: a'])
    assert.deepEqual(s.push('ened for sessionId a.'), [])
    assert.deepEqual(s.flush(), ['Port 1 opened for sessionId a.'])
  })
})
