// The strip above the result grid: how many rows are loaded and shown, the client-side filter, a
// plain statement that sort and filter apply only to the loaded rows, and copy as TSV/CSV.

interface Props {
  testId: string
  loaded: number
  shown: number
  hasMore: boolean
  fetching: boolean
  clientView: boolean
  sort: string | null
  filter: string
  onFilter(filter: string): void
  canCopy: boolean
  onCopy(delimiter: '\t' | ','): void
}

const n = (x: number): string => x.toLocaleString('en-US')

/** Grid toolbar. */
export function GridToolbar(p: Props) {
  return (
    <div className="grid-toolbar">
      <span className="muted small" data-testid={`${p.testId}-count`} data-rows={p.loaded}>
        {n(p.loaded)} row{p.loaded === 1 ? '' : 's'}
        {p.hasMore ? ' loaded, more available' : ''}
        {p.fetching ? ' · fetching…' : ''}
      </span>
      {p.clientView ? (
        <span className="client-view-note small" data-testid={`${p.testId}-view-note`}>
          {p.filter.trim() ? `${n(p.shown)} match` : ''}
          {p.filter.trim() && p.sort ? ' · ' : ''}
          {p.sort ? `sorted by ${p.sort}` : ''} · client side, on the {n(p.loaded)} loaded rows only
          {p.hasMore ? ' (fetching paused)' : ''}
        </span>
      ) : null}
      <span className="spacer" />
      <input
        type="search"
        className="grid-filter"
        placeholder="Filter loaded rows"
        aria-label="Filter loaded rows"
        data-testid={`${p.testId}-filter`}
        value={p.filter}
        onChange={(e) => p.onFilter(e.target.value)}
      />
      <button
        type="button"
        className="btn btn-small"
        data-testid="copy-tsv"
        disabled={!p.canCopy}
        title="Copy the selected cells with a header line, tab-separated (Ctrl/Cmd+C copies without header)"
        onClick={() => p.onCopy('\t')}
      >
        Copy TSV
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="copy-csv"
        disabled={!p.canCopy}
        title="Copy the selected cells with a header line as CSV"
        onClick={() => p.onCopy(',')}
      >
        Copy CSV
      </button>
    </div>
  )
}
