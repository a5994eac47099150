// The results of a run: one tab per statement plus a Messages tab, the active result's grid (or
// its command tag), and for a result cut in a multi-statement run a visible marker with a one-click
// "Run this statement alone". The grid itself is ResultGrid.
import { useCallback } from 'react'
import type { TargetId } from '../../../shared/target-schema'
import { useAppContext } from '../hooks/useAppContext'
import { type ConsoleState, MESSAGES_TAB } from '../services/query-service'
import { MessagesView } from './MessagesView'
import { ResultGrid } from './ResultGrid'

/** Result tabs, Messages and the grid of one console. */
export function ResultsPanel({ targetId, c }: { targetId: TargetId; c: ConsoleState }) {
  const ctx = useAppContext()
  const tab = c.tabs[c.activeTab]
  const onNeedMore = useCallback(
    () => void ctx.queries.fetchMore(targetId, c.activeTab),
    [ctx, targetId, c.activeTab],
  )
  const hasRun = c.tabs.length > 0 || c.notices.length > 0 || c.error !== null
  const showMessages = c.activeTab === MESSAGES_TAB && hasRun

  return (
    <>
      {hasRun ? (
        <div className="result-tabs" role="tablist">
          {c.tabs.map((t, i) => (
            <button
              key={t.result.index}
              type="button"
              role="tab"
              aria-selected={i === c.activeTab}
              className={i === c.activeTab ? 'tab active' : 'tab'}
              data-testid="result-tab"
              onClick={() => ctx.queries.setActiveTab(targetId, i)}
            >
              {t.result.command ?? 'Result'} {i + 1}
              <span className="muted small">
                {' '}
                {t.result.columns
                  ? `${t.rows.length.toLocaleString('en-US')}${t.hasMore ? '+' : ''}`
                  : `${t.result.rowCount ?? 0} affected`}
              </span>
              {t.result.truncated ? (
                <span className="tab-flag" title="Cut: run this statement alone to see all rows">
                  {' '}
                  cut
                </span>
              ) : null}
            </button>
          ))}
          <button
            type="button"
            role="tab"
            aria-selected={showMessages}
            className={showMessages ? 'tab active' : 'tab'}
            data-testid="messages-tab"
            onClick={() => ctx.queries.setActiveTab(targetId, MESSAGES_TAB)}
          >
            Messages
            {c.notices.length ? <span className="muted small"> {c.notices.length}</span> : null}
          </button>
        </div>
      ) : null}
      {tab?.result.truncated ? (
        <div className="result-marker" role="status" data-testid="result-truncated">
          {tab.result.changedData
            ? `This statement changed data and returned more rows than are kept: only the first ${(tab.result.rowCount ?? tab.rows.length).toLocaleString('en-US')} are shown.`
            : `Only the first ${(tab.result.rowCount ?? tab.rows.length).toLocaleString('en-US')} rows are kept: later statements of the script needed the connection.`}
          {/* Running a statement that wrote again would write again: only reads get the button. */}
          {tab.result.changedData ? null : (
            <button
              type="button"
              className="btn btn-small"
              data-testid="run-alone"
              disabled={c.running}
              onClick={() => void ctx.queries.runAlone(targetId, c.activeTab)}
            >
              Run this statement alone
            </button>
          )}
        </div>
      ) : null}
      <div className="result-area">
        {showMessages ? (
          <MessagesView c={c} />
        ) : tab?.result.columns ? (
          <ResultGrid
            key={`${c.queryId}:${c.activeTab}`}
            columns={tab.result.columns}
            rows={tab.rows}
            hasMore={tab.hasMore}
            fetching={tab.fetching}
            onNeedMore={onNeedMore}
          />
        ) : tab ? (
          <div className="empty-hint" data-testid="command-result">
            {tab.result.command} · {tab.result.rowCount ?? 0} rows affected
          </div>
        ) : (
          <div className="empty-hint">
            Write SQL above and press Ctrl/Cmd+Enter. Select text to run only that.
          </div>
        )}
      </div>
    </>
  )
}
